//! The master's side: an [`Evaluator`] that posts a generation's genomes to
//! Redis in chunks and files the results by genome index.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sprout_evolve::evaluator::{Batch, Evaluator, Outcome};
use sprout_evolve::{EvolveError, Experiment, TaskDescription};
use sprout_genome::Genome;

use crate::error::FarmError;
use crate::keys;
use crate::link::{BLOCK, Link};
use crate::message::{
    Entry, ResultBody, TaskBody, dead_letter, read_reply, wire_hash, with_header,
};
use crate::options::FarmOptions;
use crate::wire::Writer;
use crate::worker::{WorkerOptions, create_group, serve};

/// What the master sees while a generation is out, for a progress bar or a log
/// line (`Display`), or a JSON log line (`Serialize`: these field names).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FarmStatus {
    /// The generation being evaluated.
    pub generation: u64,
    /// Workers with a live heartbeat (the master's own local threads count as one).
    pub workers: usize,
    /// Their evaluation threads.
    #[serde(rename = "worker_threads")]
    pub threads: usize,
    /// Chunks posted and not yet answered.
    #[serde(rename = "tasks_in_flight")]
    pub chunks_in_flight: usize,
    /// Genomes with a result.
    #[serde(rename = "genomes_evaluated")]
    pub genomes_done: usize,
    /// Genomes of the generation.
    pub genomes: usize,
}

impl std::fmt::Display for FarmStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "gen {} on redis: {}/{} evaluated  workers {} ({} threads)  tasks in flight {}",
            self.generation,
            self.genomes_done,
            self.genomes,
            self.workers,
            self.threads,
            self.chunks_in_flight
        )
    }
}

type StatusFn = Box<dyn Fn(&FarmStatus) + Send + Sync>;

/// The master's own worker thread, when it evaluates locally too: its stop
/// flag and its thread.
type LocalWorker = (Arc<AtomicBool>, JoinHandle<Result<(), FarmError>>);

/// Evaluation on the workers of a Redis server. See the crate docs.
pub struct RedisEvaluator {
    master: Mutex<Master>,
    local: Option<LocalWorker>,
}

struct Master {
    link: Link,
    run: String,
    experiment: String,
    seed: u64,
    chunk: Option<usize>,
    local_threads: usize,
    on_status: Option<StatusFn>,
    /// Wall time per genome × worker threads of the last generation: what one
    /// evaluation costs a thread, overhead included.
    seconds_per_genome: Option<f64>,
    /// The experiment and the group are in Redis (false at first and after a
    /// reconnect, when a restarted server may have lost them).
    published: bool,
    /// Live workers and their threads, looked up at most once a second.
    workers: Option<(Instant, (usize, usize))>,
    /// The last generation's chunks and results key, deleted with the next post
    /// (one round trip fewer per generation).
    leftovers: Option<(Vec<String>, String)>,
    /// The buffer a generation's post is written into, kept so that its pages
    /// stay mapped: on a virtual machine a page fault costs microseconds.
    packed: Vec<u8>,
}

impl RedisEvaluator {
    /// Connects to Redis as the master of `experiment`'s run. `chunk` genomes go
    /// in one task (default: one chunk per worker thread when a generation is
    /// short, else chunks that shrink as the generation is handed out);
    /// `local_threads` > 0 also evaluates on this machine, as a worker of its own.
    pub fn new<T: TaskDescription + Send + 'static>(
        farm: &FarmOptions,
        experiment: &Experiment<T>,
        chunk: Option<usize>,
        local_threads: usize,
    ) -> Result<Self, FarmError> {
        let link = Link::open(&farm.url, farm.reconnect_timeout, "master")?;
        let master = Master {
            link,
            run: keys::run_id(experiment),
            // Written as experiment files are, so `Experiment::parse` reads it back.
            experiment: sprout_evolve::files::to_ron(experiment),
            seed: experiment.seed,
            chunk: chunk.map(|c| c.max(1)),
            local_threads,
            on_status: None,
            seconds_per_genome: None,
            published: false,
            workers: None,
            leftovers: None,
            packed: Vec::new(),
        };
        let local = (local_threads > 0).then(|| {
            let stop = Arc::new(AtomicBool::new(false));
            let options = WorkerOptions {
                farm: farm.clone(),
                threads: local_threads,
                name: Some(format!("master-{}-local", std::process::id())),
            };
            let flag = Arc::clone(&stop);
            let handle = std::thread::spawn(move || serve::<T>(&options, &flag).map(|_| ()));
            (stop, handle)
        });
        Ok(Self {
            master: Mutex::new(master),
            local,
        })
    }

    /// Calls `f` about once a second while a generation is out.
    pub fn on_status(self, f: impl Fn(&FarmStatus) + Send + Sync + 'static) -> Self {
        self.master.lock().expect("not poisoned").on_status = Some(Box::new(f));
        self
    }

    /// The run's identity in Redis ([`keys::run_id`]).
    pub fn run_id(&self) -> String {
        self.master.lock().expect("not poisoned").run.clone()
    }
}

impl Drop for RedisEvaluator {
    fn drop(&mut self) {
        if let Ok(mut master) = self.master.lock()
            && let Err(e) = master.clean_up()
        {
            eprintln!("master: could not clean up: {e}");
        }
        if let Some((stop, handle)) = self.local.take() {
            stop.store(true, Ordering::Relaxed);
            if let Ok(Err(e)) = handle.join() {
                eprintln!("master: local worker: {e}");
            }
        }
    }
}

impl Evaluator for RedisEvaluator {
    fn evaluate(&self, batch: &Batch<'_>) -> Result<Vec<Outcome>, EvolveError> {
        self.master
            .lock()
            .expect("not poisoned")
            .evaluate(batch)
            .map_err(|e| EvolveError::Evaluator(e.to_string()))
    }
}

/// A thread's share of a generation below which one chunk per thread is
/// fastest: each further chunk costs a round trip through Redis (0.1 ms on
/// loopback here, and a time slice more whenever the cores are busy), more
/// than the imbalance it would save. Measured with
/// `scripts/bench_many_machines.sh` (ARCHITECTURE.md, "Many machines").
const SHARE_FOR_ONE_CHUNK: f64 = 0.040;

/// Cuts the genomes `missing` into chunks for `threads` worker threads whose
/// share of the generation takes about `share` seconds.
///
/// The genomes are shuffled (by a hash of their index, so the plan is the same
/// every time) because neighbours in the population are often of one species
/// and cost alike. Then, unless the share is short, chunk sizes shrink as the
/// generation is handed out (guided self-scheduling: each chunk is a share of
/// what is left), so the threads that draw cheap genomes come back for more and
/// all finish at about the same time.
fn plan_chunks(missing: &[usize], threads: usize, share: f64) -> Vec<Vec<usize>> {
    let mut order = missing.to_vec();
    order.sort_by_key(|&i| (i as u64 ^ 0x5851_f42d_4c95_7f2d).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    if share < SHARE_FOR_ONE_CHUNK {
        let size = order.len().div_ceil(threads);
        return order.chunks(size).map(<[usize]>::to_vec).collect();
    }
    let smallest = order.len().div_ceil(threads * 8).max(1);
    let mut chunks = Vec::new();
    let mut rest = order.as_slice();
    while !rest.is_empty() {
        let size = rest
            .len()
            .div_ceil(threads * 2)
            .max(smallest)
            .min(rest.len());
        let (chunk, tail) = rest.split_at(size);
        chunks.push(chunk.to_vec());
        rest = tail;
    }
    chunks
}

/// A genome's wire bytes and their hash.
fn wire(genome: &Genome) -> (Vec<u8>, u64) {
    let mut w = Writer::for_genome(genome);
    w.genome(genome);
    let hash = wire_hash(&w.bytes);
    (w.bytes, hash)
}

/// One generation being collected.
struct Generation<'a> {
    batch: &'a Batch<'a>,
    /// Each genome's wire bytes and their hash.
    wires: Vec<(Vec<u8>, u64)>,
    outcomes: Vec<Option<Outcome>>,
    done: usize,
    /// Entry ids of the chunks posted, with their genome indices.
    posted: Vec<(String, Vec<usize>)>,
    /// The last result entry read.
    last: String,
}

impl Master {
    fn evaluate(&mut self, batch: &Batch<'_>) -> Result<Vec<Outcome>, FarmError> {
        let mut round = Generation {
            batch,
            // Encoded on the master's threads, before anything is posted.
            wires: batch.genomes.par_iter().map(wire).collect(),
            outcomes: batch.genomes.iter().map(|_| None).collect(),
            done: 0,
            posted: Vec::new(),
            last: "0-0".into(),
        };
        let key = keys::results(&self.run, batch.generation);
        if !self.published {
            self.publish()?;
            // Results left by an earlier master of this run (killed and
            // resumed), or collected before Redis went away.
            self.collect(&mut round, &key, None)?;
            if round.done > 0 {
                eprintln!(
                    "master: reusing {} results already in Redis for generation {}",
                    round.done, batch.generation
                );
            }
        }
        let posted_at = Instant::now();
        let posted = round.outcomes.len() - round.done;
        self.post_missing(&mut round)?;
        let mut last_status = Instant::now();
        let waiting_since = Instant::now();
        let mut last_warning: Option<Instant> = None;
        while round.done < round.outcomes.len() {
            self.collect(&mut round, &key, Some(BLOCK))?;
            if self.link.reconnected {
                // A restarted Redis may have lost the stream, the group and the
                // keys: put everything back and post what is still missing.
                self.link.reconnected = false;
                self.publish()?;
                self.post_missing(&mut round)?;
            }
            if last_status.elapsed() >= Duration::from_secs(1) {
                last_status = Instant::now();
                let status = self.status(&round)?;
                if let Some(f) = &self.on_status {
                    f(&status);
                }
                let quiet = last_warning.is_none_or(|t| t.elapsed() >= Duration::from_secs(30));
                if status.workers == 0 && waiting_since.elapsed() >= Duration::from_secs(3) && quiet
                {
                    eprintln!(
                        "master: no worker is connected to {}; waiting. Start one with `sprout worker --redis {}`, or pass --local-threads N",
                        self.link.url, self.link.url
                    );
                    last_warning = Some(Instant::now());
                }
            }
        }
        if posted > 0 {
            let threads = self.live_workers()?.1.max(self.local_threads).max(1);
            self.seconds_per_genome =
                Some(posted_at.elapsed().as_secs_f64() * threads as f64 / posted as f64);
        }
        let ids = round.posted.iter().map(|(id, _)| id.clone()).collect();
        self.leftovers = Some((ids, key));
        Ok(round
            .outcomes
            .into_iter()
            .map(|o| o.expect("all collected"))
            .collect())
    }

    /// Posts the experiment and makes sure the group exists.
    fn publish(&mut self) -> Result<(), FarmError> {
        let (run, experiment) = (self.run.clone(), self.experiment.clone());
        self.link.run("SET", |con| {
            redis::cmd("SET")
                .arg(keys::experiment(&run))
                .arg(&experiment)
                .arg("EX")
                .arg(keys::RUN_TTL_SECS)
                .query::<()>(con)
        })?;
        create_group(&mut self.link)?;
        self.link.reconnected = false;
        self.published = true;
        Ok(())
    }

    /// Posts the genomes that have no result yet, in chunks.
    fn post_missing(&mut self, round: &mut Generation<'_>) -> Result<(), FarmError> {
        let missing: Vec<usize> = (0..round.outcomes.len())
            .filter(|&i| round.outcomes[i].is_none())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let chunks = match self.chunk {
            Some(size) => missing.chunks(size).map(<[usize]>::to_vec).collect(),
            None => {
                let threads = self.live_workers()?.1.max(self.local_threads).max(1);
                let share = self
                    .seconds_per_genome
                    .map_or(f64::INFINITY, |s| s * missing.len() as f64 / threads as f64);
                plan_chunks(&missing, threads, share)
            }
        };
        let (run, seed, generation) = (self.run.clone(), self.seed, round.batch.generation);
        let mut prelude = vec![redis::cmd("SET")];
        prelude[0]
            .arg(keys::current(&run))
            .arg(generation)
            .arg("EX")
            .arg(keys::RUN_TTL_SECS);
        if let Some((ids, key)) = self.leftovers.take() {
            for ids in ids.chunks(512) {
                prelude.push(redis::cmd("XDEL").arg(keys::TASKS).arg(ids).clone());
            }
            prelude.push(redis::cmd("DEL").arg(key).clone());
        }
        // Everything is sent in one write, so the workers wake together: a
        // chunk sent while the master still encodes the next makes its worker
        // compete with the master for a core.
        let mut packed = std::mem::take(&mut self.packed);
        packed.clear();
        for cmd in &prelude {
            cmd.write_packed_command(&mut packed);
        }
        for (k, chunk) in chunks.iter().enumerate() {
            let body = TaskBody::encode(chunk.iter().map(|&i| {
                let (bytes, hash) = &round.wires[i];
                (i as u32, round.batch.genomes[i].id, bytes.as_slice(), *hash)
            }));
            let mut xadd = redis::cmd("XADD");
            with_header(xadd.arg(keys::TASKS).arg("*"), &run, generation)
                .arg("seed")
                .arg(seed)
                .arg("chunk")
                .arg(k)
                .arg("body")
                .arg(body);
            xadd.write_packed_command(&mut packed);
        }
        let ids: Result<Vec<String>, FarmError> = self.link.run("XADD tasks", |con| {
            con.send_packed_command(&packed)?;
            // Every reply is read before any error is returned, so the
            // connection stays in step.
            let replies: Vec<redis::RedisResult<redis::Value>> = (0..prelude.len() + chunks.len())
                .map(|_| con.recv_response().and_then(redis::Value::extract_error))
                .collect();
            let mut replies = replies
                .into_iter()
                .collect::<redis::RedisResult<Vec<_>>>()?;
            replies
                .drain(prelude.len()..)
                .map(|id| redis::from_redis_value::<String>(id).map_err(Into::into))
                .collect()
        });
        self.packed = packed;
        let ids = ids?;
        round.posted.extend(ids.into_iter().zip(chunks));
        Ok(())
    }

    /// Reads result entries after `round.last` (waiting up to `block` for one) and
    /// files them.
    fn collect(
        &mut self,
        round: &mut Generation<'_>,
        key: &str,
        block: Option<Duration>,
    ) -> Result<(), FarmError> {
        let last = round.last.clone();
        let reply = self.link.run("XREAD", |con| {
            let mut cmd = redis::cmd("XREAD");
            cmd.arg("COUNT").arg(1024);
            if let Some(block) = block {
                cmd.arg("BLOCK").arg(block.as_millis() as u64);
            }
            cmd.arg("STREAMS").arg(key).arg(&last);
            cmd.query::<redis::Value>(con)
        })?;
        for entry in read_reply(&reply) {
            round.last = entry.id.clone();
            self.file(round, &entry)?;
        }
        Ok(())
    }

    /// Files one result entry's records by genome index.
    fn file(&mut self, round: &mut Generation<'_>, entry: &Entry) -> Result<(), FarmError> {
        let parsed = entry
            .header()
            .and_then(|header| Ok((header, ResultBody::decode(entry.body()?)?)));
        let ((run, generation), body) = match parsed {
            Ok(parsed) => parsed,
            Err(reason) => return self.refuse(entry, &reason),
        };
        if run != self.run || generation != round.batch.generation {
            return Ok(());
        }
        match body {
            ResultBody::Evaluated(records) => {
                for record in records {
                    let i = record.index as usize;
                    let fits = i < round.outcomes.len()
                        && round.batch.genomes[i].id == record.id
                        && round.wires[i].1 == record.hash;
                    if fits && round.outcomes[i].is_none() {
                        round.outcomes[i] = Some((record.evaluation, record.learned));
                        round.done += 1;
                    }
                }
                Ok(())
            }
            ResultBody::Failed {
                genome_ids,
                deliveries,
                reason,
            } => {
                // Do not leave the failure for a resumed run to trip over.
                let key = keys::results(&self.run, round.batch.generation);
                self.link
                    .run("DEL", |con| redis::cmd("DEL").arg(&key).query::<()>(con))?;
                Err(FarmError::Poisoned {
                    generation: round.batch.generation,
                    genome_ids,
                    deliveries,
                    reason,
                })
            }
        }
    }

    /// Moves a result message that does not parse aside, with a log line.
    fn refuse(&mut self, entry: &Entry, reason: &str) -> Result<(), FarmError> {
        eprintln!(
            "master: refused result message {}: {reason}; moved to {}",
            entry.id,
            keys::DEAD
        );
        self.link.run("XADD dead", |con| {
            dead_letter(reason, "results", &entry.id).query::<()>(con)
        })
    }

    /// (workers, threads) with a live heartbeat, looked up at most once a
    /// second.
    fn live_workers(&mut self) -> Result<(usize, usize), FarmError> {
        if let Some((at, seen)) = self.workers
            && at.elapsed() < Duration::from_secs(1)
        {
            return Ok(seen);
        }
        let seen = self.look_up_workers()?;
        self.workers = Some((Instant::now(), seen));
        Ok(seen)
    }

    fn look_up_workers(&mut self) -> Result<(usize, usize), FarmError> {
        let threads: Vec<Option<usize>> = self.link.run("SCAN", |con| {
            let mut names: Vec<String> = Vec::new();
            let mut cursor = 0u64;
            loop {
                let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(keys::worker("*"))
                    .arg("COUNT")
                    .arg(1000)
                    .query(con)?;
                names.extend(batch);
                if next == 0 {
                    break;
                }
                cursor = next;
            }
            if names.is_empty() {
                return Ok(Vec::new());
            }
            redis::cmd("MGET").arg(&names).query(con)
        })?;
        let live: Vec<usize> = threads.into_iter().flatten().collect();
        Ok((live.len(), live.iter().sum()))
    }

    fn status(&mut self, round: &Generation<'_>) -> Result<FarmStatus, FarmError> {
        let (workers, threads) = self.live_workers()?;
        let answered = |indices: &Vec<usize>| indices.iter().all(|&i| round.outcomes[i].is_some());
        Ok(FarmStatus {
            generation: round.batch.generation,
            workers,
            threads: threads.max(self.local_threads),
            chunks_in_flight: round.posted.iter().filter(|(_, c)| !answered(c)).count(),
            genomes_done: round.done,
            genomes: round.outcomes.len(),
        })
    }

    /// Deletes the last generation's chunks and results: nothing is left
    /// behind when the run ends.
    fn clean_up(&mut self) -> Result<(), FarmError> {
        let Some((ids, key)) = self.leftovers.take() else {
            return Ok(());
        };
        self.link.run("XDEL", |con| {
            let mut pipe = redis::pipe();
            for ids in ids.chunks(512) {
                pipe.cmd("XDEL").arg(keys::TASKS).arg(ids).ignore();
            }
            pipe.cmd("DEL").arg(&key).ignore();
            pipe.query::<()>(con)
        })
    }
}
