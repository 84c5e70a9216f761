//! The custom-worker example is the proof that a task defined outside Sprout can
//! be evaluated by workers through Redis and give the local run: it asserts that,
//! and this test runs it against a real redis-server (skipped, with a message,
//! when none is installed, unless `SPROUT_REDIS_TESTS=1`).

// The example's own `main` is not called here.
#[allow(dead_code)]
#[path = "../examples/custom_worker.rs"]
mod custom_worker;

use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_task_of_your_own_is_farmed_out_and_gives_the_local_run() {
    let installed = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("SPROUT_REDIS_TESTS").is_none(),
            "SPROUT_REDIS_TESTS is set but redis-server is not installed"
        );
        eprintln!("skipping: redis-server is not installed");
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ])
        .args(["--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    let dir = tempfile::tempdir().unwrap();
    let result = custom_worker::both(&format!("redis://127.0.0.1:{port}"), dir.path());
    server.kill().unwrap();
    server.wait().unwrap();
    result.unwrap();
}
