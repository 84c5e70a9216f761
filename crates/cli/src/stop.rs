//! Stopping a run from outside: Ctrl-C (SIGINT), SIGTERM (what systemd,
//! Kubernetes and Slurm send) and SIGHUP (a closed terminal) all ask the run to
//! finish the generation in flight, write a checkpoint and exit with 128 + the
//! signal's number. A second signal exits at once: every save is written to a
//! temporary file and renamed, so an exit mid-write leaves the previous files
//! whole.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use anyhow::{Context, Result};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// What a run does on the first signal.
pub const RUN: &str = "stopping after the generation in flight, then saving a checkpoint";

/// The stop request of a run: raised by a signal, or by the program (a closed
/// window).
#[derive(Clone)]
pub struct Stop {
    requested: Arc<AtomicBool>,
    signal: Arc<AtomicI32>,
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT (Ctrl-C)",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

impl Stop {
    /// Starts listening for SIGINT, SIGTERM and SIGHUP; the first one prints
    /// `what` happens next.
    pub fn on_signals(what: &'static str) -> Result<Self> {
        let stop = Self {
            requested: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicI32::new(0)),
        };
        let mut signals =
            Signals::new([SIGINT, SIGTERM, SIGHUP]).context("cannot listen for signals")?;
        let listener = stop.clone();
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    let name = signal_name(signal);
                    if listener.signal.swap(signal, Ordering::SeqCst) != 0 {
                        eprintln!("\n{name} again: exiting now; the checkpoints already written are intact");
                        std::process::exit(128 + signal);
                    }
                    eprintln!("\n{name}: {what} (send it again to exit at once)");
                    listener.requested.store(true, Ordering::SeqCst);
                }
            })
            .context("cannot start the signal thread")?;
        Ok(stop)
    }

    /// The flag the run loop checks between generations.
    pub fn flag(&self) -> &AtomicBool {
        &self.requested
    }

    /// Asks the run to stop (without a signal): the window was closed.
    #[cfg(feature = "viewer")]
    pub fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
    }

    /// The exit code a signal asks for (130 for SIGINT, 143 for SIGTERM, 129 for
    /// SIGHUP), when one arrived.
    pub fn exit_code(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(128 + signal),
        }
    }
}
