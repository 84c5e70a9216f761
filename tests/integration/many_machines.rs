//! Many machines: a master (`evolve --redis`) and worker processes
//! (`sprout worker`) on a real redis-server give the local run bit for bit, and
//! lose nothing when workers, the master or Redis itself go away.
//!
//! Each test starts its own `redis-server` on a free port. Without one installed
//! the tests skip with a message, unless `SPROUT_REDIS_TESTS=1` (set by CI), which
//! makes a missing server a failure.

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{SMALL_XOR, signal, sprout, sprout_ok};

/// A redis-server of this test's own, killed when dropped.
pub struct Redis {
    port: u16,
    child: Child,
    args: Vec<String>,
}

impl Redis {
    /// Starts a server with `extra` arguments, or `None` (with a message) when
    /// redis-server is not installed and CI did not ask for these tests.
    pub fn start(extra: &[&str]) -> Option<Self> {
        let installed = Command::new("redis-server")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !installed {
            assert!(
                std::env::var_os("SPROUT_REDIS_TESTS").is_none(),
                "SPROUT_REDIS_TESTS is set but redis-server is not installed"
            );
            eprintln!("skipping: redis-server is not installed (apt-get install redis-server)");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut args: Vec<String> = [
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let child = spawn_server(&args, port);
        Some(Self { port, child, args })
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills the server (as a crash would: nothing is saved).
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port, empty.
    fn restart(&mut self) {
        self.child = spawn_server(&self.args, self.port);
    }

    /// `redis-cli` with `args` against this server; its output.
    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli comes with redis-server");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn_server(args: &[String], port: u16) -> Child {
    let child = Command::new("redis-server")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "redis-server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A Redis server of the test's own, a directory made by `make`, and the
/// server's URL; `None` when the Redis tests skip.
fn set_up(make: fn() -> tempfile::TempDir) -> Option<(Redis, tempfile::TempDir, String)> {
    let redis = Redis::start(&[])?;
    let url = redis.url();
    Some((redis, make(), url))
}

/// Starts `sprout args` in `dir` with piped output.
fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sprout"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A worker process on `url`.
fn worker(dir: &Path, url: &str, name: &str, threads: usize, extra: &[&str]) -> Child {
    let threads = threads.to_string();
    let mut args = vec![
        "worker",
        "--redis",
        url,
        "--name",
        name,
        "--threads",
        &threads,
    ];
    args.extend(extra);
    spawn(dir, &args)
}

/// Stops a worker with SIGTERM and returns its output.
fn stop(mut child: Child) -> (Option<i32>, String) {
    signal(&child, "TERM");
    finish(&mut child)
}

/// Waits for a child; (exit code, stdout + stderr).
fn finish(child: &mut Child) -> (Option<i32>, String) {
    let status = child.wait().unwrap();
    let mut text = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    (status.code(), text)
}

fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// SMALL_XOR with a checkpoint every generation.
fn xor_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = SMALL_XOR.replace("checkpoint_every: 3", "checkpoint_every: 1");
    std::fs::write(dir.path().join("small.ron"), config).unwrap();
    dir
}

/// A platformer experiment whose evaluations take tens of milliseconds (long
/// episodes), so a generation is still out when a test strikes.
const SLOW: &str = r#"(
    name: "slow",
    generations: 3,
    stop_when_solved: false,
    checkpoint_every: 1,
    neat: (population_size: 24),
    task: Platformer(levels: Builtin(["1-1"]), stall_frames: 100000, max_ticks: 20000, episodes: 4),
)"#;

fn slow_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("slow.ron"), SLOW).unwrap();
    dir
}

/// The checkpoints of run `a` and `b` hold the same states (timings aside).
fn assert_same_checkpoints(dir: &Path, a: &str, b: &str) {
    let names = |run: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(run).join("checkpoints"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(a), names(b));
    for name in names(a) {
        let state = |run: &str| {
            let bytes = std::fs::read(dir.join(run).join("checkpoints").join(&name)).unwrap();
            let text = String::from_utf8(zstd::decode_all(bytes.as_slice()).unwrap()).unwrap();
            without_seconds(&text)
        };
        assert!(state(a) == state(b), "checkpoint {name} differs");
    }
}

/// `text` with the number after every `seconds:` blanked (wall-clock timings).
fn without_seconds(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("seconds:") {
        out.push_str(&rest[..at + "seconds:".len()]);
        rest = rest[at + "seconds:".len()..].trim_start_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, ' ' | '.' | 'e' | '-' | '+')
        });
    }
    out.push_str(rest);
    out
}

/// Runs `b` and `a` hold the same run: stats and champion (as the other
/// reproducibility tests check them), and every checkpoint.
pub fn assert_same_run(dir: &Path, a: &str, b: &str) {
    crate::util::assert_same_run(dir, a, b);
    assert_same_checkpoints(dir, a, b);
}

/// Evolves `config` locally into `local` and asserts that `farm` holds the same run.
fn assert_same_as_local(dir: &Path, config: &str) {
    sprout_ok(dir, &["evolve", "--config", config, "--out", "local"]);
    assert_same_run(dir, "local", "farm");
}

/// Waits until `path` exists.
fn wait_for(path: &Path, limit: Duration) {
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < limit,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn one_two_or_three_workers_give_the_local_run_bit_for_bit() {
    let Some((redis, dir, url)) = set_up(xor_dir) else {
        return;
    };
    sprout_ok(
        dir.path(),
        &["evolve", "--config", "small.ron", "--out", "local"],
    );
    for (count, threads) in [(1, [1, 1, 1]), (2, [2, 1, 1]), (3, [1, 2, 1])] {
        let workers: Vec<Child> = (0..count)
            .map(|k| worker(dir.path(), &url, &format!("w{k}"), threads[k], &[]))
            .collect();
        let out = format!("farm{count}");
        let text = sprout_ok(
            dir.path(),
            &[
                "evolve",
                "--config",
                "small.ron",
                "--out",
                &out,
                "--redis",
                &url,
                "--chunk",
                "3",
            ],
        );
        assert!(text.contains("master of run"), "{text}");
        for w in workers {
            let (code, text) = stop(w);
            assert_eq!(code, Some(143), "{text}");
            assert!(text.contains("worker stopped"), "{text}");
        }
        assert_same_run(dir.path(), "local", &out);
    }
    // Nothing is left behind: the chunks and results of every generation are gone.
    assert_eq!(redis.cli(&["XLEN", "sprout:tasks"]), "0");
    assert_eq!(redis.cli(&["KEYS", "sprout:run:*:results:*"]), "");
}

#[test]
fn a_master_with_local_threads_needs_no_worker() {
    let Some((_redis, dir, url)) = set_up(xor_dir) else {
        return;
    };
    sprout_ok(
        dir.path(),
        &["evolve", "--config", "small.ron", "--out", "local"],
    );
    sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "farm",
            "--redis",
            &url,
            "--local-threads",
            "2",
        ],
    );
    assert_same_run(dir.path(), "local", "farm");
}

#[test]
fn a_worker_killed_mid_generation_loses_nothing() {
    let Some((redis, dir, url)) = set_up(slow_dir) else {
        return;
    };
    let lease = ["--lease", "1"];
    let mut doomed = worker(dir.path(), &url, "doomed", 1, &lease);
    let survivor = worker(dir.path(), &url, "survivor", 1, &lease);
    let mut master = spawn(
        dir.path(),
        &[
            "evolve", "--config", "slow.ron", "--out", "farm", "--redis", &url, "--chunk", "2",
            "--lease", "1",
        ],
    );
    // Mid-generation: kill it while it holds a chunk.
    let started = Instant::now();
    let held = ["XPENDING", "sprout:tasks", "eval", "-", "+", "10", "doomed"];
    // (An entry id first, not nothing, nor a NOGROUP error before the master
    // has created the group.)
    let holds = |out: String| {
        out.lines().next().is_some_and(|id| {
            id.contains('-') && id.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
    };
    while !holds(redis.cli(&held)) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the worker never held a chunk"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    signal(&doomed, "KILL");
    doomed.wait().unwrap();
    let (code, text) = finish(&mut master);
    assert_eq!(code, Some(0), "{text}");
    let (_, survivor_log) = stop(survivor);
    assert!(survivor_log.contains("took over chunk"), "{survivor_log}");
    assert_same_as_local(dir.path(), "slow.ron");
}

#[test]
fn a_slow_worker_keeps_its_lease_by_its_heartbeat() {
    let Some((_redis, dir, url)) = set_up(slow_dir) else {
        return;
    };
    // Chunks of 12 genomes take over a second; the lease is 0.3 s.
    let lease = ["--lease", "0.3"];
    let a = worker(dir.path(), &url, "a", 1, &lease);
    let b = worker(dir.path(), &url, "b", 1, &lease);
    let text = sprout_ok(
        dir.path(),
        &[
            "evolve", "--config", "slow.ron", "--out", "farm", "--redis", &url, "--chunk", "12",
            "--lease", "0.3",
        ],
    );
    assert!(text.contains("finished 3 generations"), "{text}");
    for w in [a, b] {
        let (_, log) = stop(w);
        assert!(
            !log.contains("took over"),
            "a live worker lost its chunk: {log}"
        );
    }
    assert_same_as_local(dir.path(), "slow.ron");
}

#[test]
fn a_worker_joins_mid_run_and_a_stopped_one_hands_its_task_back_at_once() {
    let Some((_redis, dir, url)) = set_up(slow_dir) else {
        return;
    };
    // A long lease: if the stopped worker kept its chunk, the run would stall
    // for a minute.
    let lease = ["--lease", "60"];
    let mut master = spawn(
        dir.path(),
        &[
            "evolve",
            "--config",
            "slow.ron",
            "--out",
            "farm",
            "--redis",
            &url,
            "--chunk",
            "4",
            "--lease",
            "60",
            "--log-format",
            "plain",
            "--log-interval",
            "0",
        ],
    );
    // No worker yet: the master says so and waits.
    let mut stderr = BufReader::new(master.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("no worker is connected") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the master ended");
    }
    let first = worker(dir.path(), &url, "first", 1, &lease);
    std::thread::sleep(Duration::from_millis(1500));
    let second = worker(dir.path(), &url, "second", 1, &lease);
    std::thread::sleep(Duration::from_millis(500));
    let stopped_at = Instant::now();
    let (code, text) = stop(first);
    assert_eq!(code, Some(143), "{text}");
    assert!(
        stopped_at.elapsed() < Duration::from_secs(10),
        "a stop takes long: {text}"
    );
    let status = master.wait().unwrap();
    assert!(status.success());
    assert!(
        stopped_at.elapsed() < Duration::from_secs(45),
        "the stopped worker's chunk waited for its lease"
    );
    stop(second);
    assert_same_as_local(dir.path(), "slow.ron");
}

#[test]
fn a_killed_master_resumes_from_its_checkpoint_and_finishes_as_the_local_run() {
    let Some((_redis, dir, url)) = set_up(slow_dir) else {
        return;
    };
    let w = worker(dir.path(), &url, "w", 2, &[]);
    let mut master = spawn(
        dir.path(),
        &[
            "evolve", "--config", "slow.ron", "--out", "farm", "--redis", &url, "--chunk", "2",
        ],
    );
    wait_for(
        &dir.path().join("farm/checkpoints/gen-000001.ron.zst"),
        Duration::from_secs(60),
    );
    std::thread::sleep(Duration::from_millis(300));
    signal(&master, "KILL");
    master.wait().unwrap();
    let text = sprout_ok(dir.path(), &["evolve", "--resume", "farm", "--redis", &url]);
    assert!(text.contains("finished 3 generations"), "{text}");
    stop(w);
    assert_same_as_local(dir.path(), "slow.ron");
}

#[test]
fn redis_restarting_mid_run_is_waited_out_and_the_run_is_unchanged() {
    let Some((mut redis, dir, url)) = set_up(slow_dir) else {
        return;
    };
    let w = worker(dir.path(), &url, "w", 2, &[]);
    let mut master = spawn(
        dir.path(),
        &[
            "evolve", "--config", "slow.ron", "--out", "farm", "--redis", &url, "--chunk", "2",
        ],
    );
    std::thread::sleep(Duration::from_millis(800));
    redis.kill();
    std::thread::sleep(Duration::from_millis(1000));
    redis.restart();
    let (code, text) = finish(&mut master);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("lost Redis"), "{text}");
    assert!(text.contains("reconnected"), "{text}");
    let (_, worker_log) = stop(w);
    assert!(worker_log.contains("reconnected"), "{worker_log}");
    assert_same_as_local(dir.path(), "slow.ron");
}

#[test]
fn redis_gone_for_good_stops_the_run_with_a_clear_error_and_a_checkpoint() {
    let Some((mut redis, dir, url)) = set_up(slow_dir) else {
        return;
    };
    let w = worker(dir.path(), &url, "w", 2, &["--redis-timeout", "2"]);
    let mut master = spawn(
        dir.path(),
        &[
            "evolve",
            "--config",
            "slow.ron",
            "--out",
            "farm",
            "--redis",
            &url,
            "--redis-timeout",
            "2",
        ],
    );
    wait_for(
        &dir.path().join("farm/checkpoints/gen-000001.ron.zst"),
        Duration::from_secs(60),
    );
    redis.kill();
    let (code, text) = finish(&mut master);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("Redis unreachable"), "{text}");
    assert!(text.contains("was checkpointed in"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    let mut w = w;
    let (code, text) = finish(&mut w);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("Redis unreachable"), "{text}");
}

#[test]
fn messages_that_do_not_parse_go_to_the_dead_letter_stream_and_the_worker_keeps_serving() {
    let Some((redis, dir, url)) = set_up(xor_dir) else {
        return;
    };
    let w = worker(dir.path(), &url, "w", 1, &[]);
    std::thread::sleep(Duration::from_millis(500));
    redis.cli(&[
        "XADD",
        "sprout:tasks",
        "*",
        "v",
        "99",
        "sprout",
        "9.0.0",
        "run",
        "r",
        "gen",
        "0",
    ]);
    redis.cli(&["XADD", "sprout:tasks", "*", "hello", "world"]);
    let protocol = sprout_redis::PROTOCOL.to_string();
    redis.cli(&[
        "XADD",
        "sprout:tasks",
        "*",
        "v",
        &protocol,
        "run",
        "r",
        "gen",
        "0",
        "seed",
        "0",
        "chunk",
        "0",
        "body",
        "(genomes: [(",
    ]);
    sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "farm",
            "--redis",
            &url,
        ],
    );
    assert_same_as_local(dir.path(), "small.ron");
    assert_eq!(redis.cli(&["XLEN", "sprout:dead"]), "3");
    let (_, log) = stop(w);
    assert!(log.contains("protocol 99 (Sprout 9.0.0)"), "{log}");
    assert!(log.contains("no `v` field"), "{log}");
    assert!(log.contains("body does not parse"), "{log}");
    assert_eq!(log.matches("moved to sprout:dead").count(), 3, "{log}");
}

#[test]
fn a_chunk_that_keeps_failing_is_reported_by_genome_id() {
    let Some((redis, dir, url)) = set_up(xor_dir) else {
        return;
    };
    let settings = ["--lease", "0.2", "--max-deliveries", "1"];
    let mut master = spawn(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "farm",
            "--redis",
            &url,
            "--chunk",
            "40",
            "--lease",
            "0.2",
            "--max-deliveries",
            "1",
        ],
    );
    // A worker that takes the chunk and dies without a word. (redis-cli prints
    // the stream's name first when it read an entry; nothing, or a NOGROUP
    // error, before the master has posted.)
    let started = Instant::now();
    let ghost = [
        "XREADGROUP",
        "GROUP",
        "eval",
        "ghost",
        "COUNT",
        "1",
        "STREAMS",
        "sprout:tasks",
        ">",
    ];
    while redis.cli(&ghost).lines().next() != Some("sprout:tasks") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no chunk was posted"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let w = worker(dir.path(), &url, "w", 1, &settings);
    let (code, master_log) = finish(&mut master);
    let (_, worker_log) = stop(w);
    let text = format!("{master_log}\n{worker_log}");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("generation 0: genomes [0, 1, 2"), "{text}");
    assert!(text.contains("after 2 deliveries"), "{text}");
    assert!(text.contains("was checkpointed in"), "{text}");
}

#[test]
fn passwords_work_and_a_wrong_one_is_a_clear_error() {
    let Some(redis) = Redis::start(&["--requirepass", "s3cret"]) else {
        return;
    };
    let dir = xor_dir();
    let good = format!("redis://:s3cret@127.0.0.1:{}/0", redis.port);
    let bad = format!("redis://:wrong@127.0.0.1:{}", redis.port);
    let out = sprout(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "bad",
            "--redis",
            &bad,
        ],
    );
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("redis://:***@127.0.0.1"), "{text}");
    assert!(!text.contains("wrong"), "the password leaked: {text}");
    let text = sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "farm",
            "--redis",
            &good,
            "--local-threads",
            "1",
        ],
    );
    assert!(!text.contains("s3cret"), "the password leaked: {text}");
}

#[test]
fn tls_works_and_a_certificate_that_does_not_verify_is_a_clear_error() {
    let dir = xor_dir();
    let (cert, key) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .is_ok_and(|o| o.status.success());
    if !made {
        eprintln!("skipping: no openssl to make a test certificate");
        return;
    }
    let tls_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let Some(redis) = Redis::start(&[
        "--tls-port",
        &tls_port,
        "--tls-cert-file",
        cert,
        "--tls-key-file",
        key,
        "--tls-ca-cert-file",
        cert,
        "--tls-auth-clients",
        "no",
    ]) else {
        return;
    };
    while TcpStream::connect(("127.0.0.1", tls_port.parse::<u16>().unwrap())).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    // A self-signed certificate does not verify: said at once, not retried.
    let url = format!("rediss://127.0.0.1:{tls_port}");
    let out = sprout(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "bad",
            "--redis",
            &url,
        ],
    );
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("certificate"), "{text}");
    // Told to trust it, the run goes through TLS and is the local run.
    let insecure = format!("{url}/#insecure");
    sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "farm",
            "--redis",
            &insecure,
            "--local-threads",
            "1",
        ],
    );
    drop(redis);
    assert_same_as_local(dir.path(), "small.ron");
}

/// The JSON line of a `bench` run, without its wall-clock time.
fn bench_json(stdout: &str) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    json.as_object_mut()
        .unwrap()
        .remove("wall_seconds")
        .unwrap();
    json
}

#[test]
fn a_benchmark_on_workers_counts_the_same_evaluations_as_on_this_machine() {
    let Some((_redis, dir, url)) = set_up(xor_dir) else {
        return;
    };
    let bench = ["bench", "xor", "--runs", "3", "--seed", "7", "--json"];
    let local = bench_json(&sprout_ok(dir.path(), &bench));
    assert_eq!(local["runs"], 3);
    let mut workers = [
        worker(dir.path(), &url, "w1", 1, &[]),
        worker(dir.path(), &url, "w2", 2, &[]),
    ];
    let farm = sprout_ok(dir.path(), &[&bench[..], &["--redis", &url]].concat());
    assert_eq!(bench_json(&farm), local, "{farm}");
    // 143 is how a worker stopped by SIGTERM exits.
    for child in &mut workers {
        signal(child, "TERM");
        assert_eq!(finish(child).0, Some(143));
    }
}
