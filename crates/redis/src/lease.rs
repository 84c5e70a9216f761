//! A worker's lease keeper: one thread, on a connection of its own, that renews
//! the lease of the chunk being evaluated every third of a lease, so a slow
//! worker is not taken for a dead one.
//!
//! The worker only writes which chunk it holds into a shared slot; it never
//! wakes the thread. On a busy machine every wake-up and thread start is a
//! context switch that evaluation waits for, and chunks of microsecond
//! evaluations come hundreds of times a second.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::keys;

/// The keeper of one worker; stops its thread when dropped.
pub(crate) struct LeaseKeeper {
    held: Arc<Mutex<Option<String>>>,
    /// Dropped to stop the thread: its wait ends at once.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LeaseKeeper {
    /// Starts the thread of worker `name`, renewing leases of `lease`.
    pub fn start(client: redis::Client, name: String, lease: Duration) -> Self {
        let held = Arc::new(Mutex::new(None));
        let (stop, stopped) = mpsc::channel();
        let slot = Arc::clone(&held);
        let thread = std::thread::spawn(move || keep(&client, &name, lease, &slot, &stopped));
        Self {
            held,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Renews the lease of entry `id` from now on (`None`: of nothing).
    pub fn hold(&self, id: Option<&str>) {
        *self.held.lock().expect("not poisoned") = id.map(str::to_string);
    }
}

impl Drop for LeaseKeeper {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn keep(
    client: &redis::Client,
    name: &str,
    lease: Duration,
    held: &Mutex<Option<String>>,
    stopped: &mpsc::Receiver<()>,
) {
    let every = (lease / 3).max(Duration::from_millis(10));
    let mut con: Option<redis::Connection> = None;
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
        let Some(id) = held.lock().expect("not poisoned").clone() else {
            continue;
        };
        if con.is_none() {
            // Redis away: the worker's own link says so; try again next time.
            con = client
                .get_connection_with_timeout(Duration::from_secs(5))
                .ok();
        }
        let Some(c) = con.as_mut() else { continue };
        // JUSTID resets the idle time without counting a delivery. An entry
        // acknowledged in the meantime is no longer pending and is not claimed.
        let renewed = redis::cmd("XCLAIM")
            .arg(keys::TASKS)
            .arg(keys::GROUP)
            .arg(name)
            .arg(0)
            .arg(&id)
            .arg("JUSTID")
            .query::<redis::Value>(c);
        if renewed.is_err() {
            con = None;
        }
    }
}
