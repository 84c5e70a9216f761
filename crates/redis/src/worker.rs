//! A worker: takes chunks of genomes from the tasks stream, evaluates them, and
//! writes the results back, for any task type `T` (the built-in tasks in the
//! `sprout worker` command, your own task in a binary of yours).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sprout_evolve::{Experiment, TaskDescription, evaluate_learned};
use sprout_task::Task;

use crate::error::FarmError;
use crate::keys;
use crate::lease::LeaseKeeper;
use crate::link::{BLOCK, Link};
use crate::message::{
    Entry, PROTOCOL, Record, ResultBody, TaskBody, autoclaim_reply, dead_letter,
    pending_deliveries, read_reply, with_header,
};
use crate::options::FarmOptions;

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Redis and the lease settings.
    pub farm: FarmOptions,
    /// Evaluation threads (0: one per core).
    pub threads: usize,
    /// The consumer name; unique per worker (default: host name and process id).
    pub name: Option<String>,
}

/// What a worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerSummary {
    /// Chunks evaluated and written back.
    pub chunks: u64,
    /// Genomes evaluated.
    pub genomes: u64,
    /// Messages moved to the dead-letter stream.
    pub refused: u64,
    /// Chunks taken over from workers whose lease ran out.
    pub taken_over: u64,
}

impl std::fmt::Display for WorkerSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} chunks ({} genomes) evaluated, {} taken over from lost workers, {} messages refused",
            self.chunks, self.genomes, self.taken_over, self.refused
        )
    }
}

/// A built experiment, cached per run.
struct Built<T> {
    experiment: Experiment<T>,
    task: Box<dyn Task>,
}

/// Serves evaluations for task type `T` until `stop` is raised (checked at least
/// every half second, and between genomes of a chunk: an unfinished chunk is
/// handed back at once), then returns what it did. Redis going away is waited
/// out up to `reconnect_timeout`.
pub fn serve<T: TaskDescription + Send>(
    options: &WorkerOptions,
    stop: &AtomicBool,
) -> Result<WorkerSummary, FarmError> {
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .build()
            .map_err(|e| FarmError::Threads(e.to_string()))?,
    );
    let name = options.name.clone().unwrap_or_else(default_name);
    let link = Link::open(
        &options.farm.url,
        options.farm.reconnect_timeout,
        format!("worker {name}"),
    )?;
    let lease = LeaseKeeper::start(link.client(), name.clone(), options.farm.lease);
    let mut worker = Worker::<T> {
        link,
        options: options.farm.clone(),
        pool: Arc::clone(&pool),
        name,
        runs: HashMap::new(),
        summary: WorkerSummary::default(),
        announced: None,
        claimed_at: None,
        idle: true,
        lease,
    };
    eprintln!(
        "worker {}: serving {} with {} threads (protocol {PROTOCOL})",
        worker.name,
        worker.link.url,
        worker.pool.current_num_threads()
    );
    // The loop runs on a thread of the pool: a chunk's evaluation starts on
    // this thread, with no hand-over to another one.
    pool.install(|| worker.serve(stop))?;
    Ok(worker.summary)
}

/// `<host>-<pid>`.
fn default_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "worker".into());
    format!("{host}-{}", std::process::id())
}

struct Worker<T> {
    link: Link,
    options: FarmOptions,
    pool: Arc<rayon::ThreadPool>,
    name: String,
    runs: HashMap<String, Built<T>>,
    summary: WorkerSummary,
    announced: Option<Instant>,
    /// When this worker last looked for chunks to take over.
    claimed_at: Option<Instant>,
    /// The last read found no new chunk.
    idle: bool,
    /// Renews the lease of the chunk being evaluated.
    lease: LeaseKeeper,
}

/// Creates the consumer group (and the stream) unless it exists.
pub(crate) fn create_group(link: &mut Link) -> Result<(), FarmError> {
    link.run("XGROUP CREATE", |con| {
        match redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(keys::TASKS)
            .arg(keys::GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .query::<()>(con)
        {
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            other => other,
        }
    })
}

impl<T: TaskDescription + Send> Worker<T> {
    fn serve(&mut self, stop: &AtomicBool) -> Result<(), FarmError> {
        self.ensure_group()?;
        let mut read_ahead = None;
        while !stop.load(Ordering::Relaxed) {
            self.announce()?;
            if self.link.reconnected {
                self.link.reconnected = false;
                self.ensure_group()?;
            }
            // A chunk read in the round trip that delivered the last one, or
            // else one read now.
            let next = match read_ahead.take() {
                Some(entry) => Some((entry, false)),
                None => self.next_entry()?,
            };
            if let Some((entry, claimed)) = next {
                read_ahead = self.handle(&entry, claimed, stop)?;
            }
        }
        if let Some(entry) = read_ahead {
            self.hand_back(&entry)?;
        }
        self.leave()
    }

    fn ensure_group(&mut self) -> Result<(), FarmError> {
        create_group(&mut self.link)
    }

    /// Refreshes this worker's heartbeat key (every 2 s; it expires after 10).
    fn announce(&mut self) -> Result<(), FarmError> {
        if self
            .announced
            .is_some_and(|t| t.elapsed() < Duration::from_secs(2))
        {
            return Ok(());
        }
        let (key, threads) = (keys::worker(&self.name), self.pool.current_num_threads());
        self.link.run("SET", |con| {
            redis::cmd("SET")
                .arg(&key)
                .arg(threads)
                .arg("EX")
                .arg(10)
                .query::<()>(con)
        })?;
        self.announced = Some(Instant::now());
        Ok(())
    }

    /// A chunk whose lease ran out (looked for every quarter lease), or else a
    /// new one (waiting up to [`BLOCK`]); with whether it was taken over.
    fn next_entry(&mut self) -> Result<Option<(Entry, bool)>, FarmError> {
        let (name, lease) = (self.name.clone(), self.options.lease.as_millis() as u64);
        // Idle, or a quarter lease since the last look: chunks handed back by
        // a stopped worker are taken at once, dead workers' within a lease.
        if self.idle
            || self
                .claimed_at
                .is_none_or(|t| t.elapsed() >= self.options.lease / 4)
        {
            self.claimed_at = Some(Instant::now());
            if let Some(entry) = self.take_over(&name, lease)? {
                return Ok(Some((entry, true)));
            }
        }
        let read = self.link.run("XREADGROUP", |con| {
            redis::cmd("XREADGROUP")
                .arg("GROUP")
                .arg(keys::GROUP)
                .arg(&name)
                .arg("COUNT")
                .arg(1)
                .arg("BLOCK")
                .arg(BLOCK.as_millis() as u64)
                .arg("STREAMS")
                .arg(keys::TASKS)
                .arg(">")
                .query::<redis::Value>(con)
        });
        match read {
            Err(FarmError::Command { message, .. }) if message.contains("NOGROUP") => {
                self.ensure_group()?;
                Ok(None)
            }
            other => {
                let entry = read_reply(&other?).into_iter().next();
                self.idle = entry.is_none();
                Ok(entry.map(|e| (e, false)))
            }
        }
    }

    /// Takes over one chunk whose worker's lease ran out, if there is one.
    fn take_over(&mut self, name: &str, lease: u64) -> Result<Option<Entry>, FarmError> {
        let claimed = self.link.run("XAUTOCLAIM", |con| {
            redis::cmd("XAUTOCLAIM")
                .arg(keys::TASKS)
                .arg(keys::GROUP)
                .arg(name)
                .arg(lease)
                .arg("0-0")
                .arg("COUNT")
                .arg(1)
                .query::<redis::Value>(con)
        });
        let claimed = match claimed {
            Err(FarmError::Command { message, .. }) if message.contains("NOGROUP") => {
                self.ensure_group()?;
                return Ok(None);
            }
            other => other?,
        };
        let entry = autoclaim_reply(&claimed).into_iter().next();
        if let Some(entry) = &entry {
            self.summary.taken_over += 1;
            eprintln!(
                "worker {}: took over chunk {} (its worker's lease ran out)",
                self.name, entry.id
            );
        }
        Ok(entry)
    }

    /// Evaluates one chunk, or refuses it, or skips it when stale.
    fn handle(
        &mut self,
        entry: &Entry,
        claimed: bool,
        stop: &AtomicBool,
    ) -> Result<Option<Entry>, FarmError> {
        if entry.size() > self.options.max_message_bytes {
            let reason = format!(
                "{} bytes, more than the limit of {}",
                entry.size(),
                self.options.max_message_bytes
            );
            return self.refuse(entry, &reason, None).map(|()| None);
        }
        let (run, generation) = match entry.header() {
            Ok(header) => header,
            Err(reason) => return self.refuse(entry, &reason, None).map(|()| None),
        };
        let body = match entry.body().and_then(TaskBody::decode) {
            Ok(body) => body,
            Err(reason) => return self.refuse(entry, &reason, None).map(|()| None),
        };
        let seed = match entry.number("seed") {
            Ok(seed) => seed,
            Err(reason) => return self.refuse(entry, &reason, None).map(|()| None),
        };
        let target = Target {
            run: &run,
            generation,
            chunk: entry.text("chunk").unwrap_or("?"),
            genome_ids: body.genomes.iter().map(|f| f.id).collect(),
        };
        // A chunk read fresh is current and on its first delivery. One taken
        // over may be stale (its master moved on, finished or died) or may have
        // killed workers before: those two questions cost a round trip, which
        // fresh chunks are spared.
        let deliveries = if claimed {
            let current = self.link.run("GET", |con| {
                redis::cmd("GET")
                    .arg(keys::current(&run))
                    .query::<Option<u64>>(con)
            })?;
            if current != Some(generation) {
                return self.ack(entry).map(|()| None);
            }
            self.deliveries(&entry.id)?
        } else {
            1
        };
        if deliveries > self.options.max_deliveries {
            let reason = format!(
                "delivered {deliveries} times, more than max_deliveries = {}",
                self.options.max_deliveries
            );
            return self
                .refuse(entry, &reason, Some((&target, deliveries)))
                .map(|()| None);
        }
        if let Err(reason) = self.build(&run) {
            return self
                .refuse(entry, &reason, Some((&target, deliveries)))
                .map(|()| None);
        }
        let built = &self.runs[&run];
        let (task, neat) = (built.task.as_ref(), &built.experiment.neat);
        self.lease.hold(Some(&entry.id));
        let records = self.pool.install(|| {
            body.genomes
                .par_iter()
                .map(|framed| {
                    if stop.load(Ordering::Relaxed) {
                        return Ok(None);
                    }
                    let genome = framed.genome()?;
                    let (evaluation, learned) =
                        evaluate_learned(task, &genome, neat, seed, generation);
                    Ok(Some(Record {
                        index: framed.index,
                        id: genome.id,
                        hash: framed.hash,
                        evaluation,
                        learned,
                    }))
                })
                .collect::<Result<Option<Vec<_>>, String>>()
        });
        self.lease.hold(None);
        let records = match records {
            Ok(records) => records,
            Err(reason) => {
                return self
                    .refuse(entry, &reason, Some((&target, deliveries)))
                    .map(|()| None);
            }
        };
        match records {
            Some(records) => {
                let n = records.len() as u64;
                // Reading the next chunk in the same round trip saves one per
                // chunk, unless it is time to look for chunks to take over.
                let read_ahead = self
                    .claimed_at
                    .is_some_and(|t| t.elapsed() < self.options.lease / 4);
                let next =
                    self.deliver(entry, &target, &ResultBody::Evaluated(records), read_ahead)?;
                self.summary.chunks += 1;
                self.summary.genomes += n;
                Ok(next)
            }
            None => self.hand_back(entry).map(|()| None),
        }
    }

    /// How many times the entry has been delivered.
    fn deliveries(&mut self, id: &str) -> Result<u64, FarmError> {
        let reply = self.link.run("XPENDING", |con| {
            redis::cmd("XPENDING")
                .arg(keys::TASKS)
                .arg(keys::GROUP)
                .arg(id)
                .arg(id)
                .arg(1)
                .query::<redis::Value>(con)
        })?;
        Ok(pending_deliveries(&reply)
            .into_iter()
            .find(|(pending, _)| pending == id)
            .map_or(1, |(_, n)| n))
    }

    /// Builds (or finds) the task of `run` from the experiment its master posted.
    fn build(&mut self, run: &str) -> Result<(), String> {
        // A run's id is a hash of everything that shapes its evaluations, so a
        // cached build stays right.
        if self.runs.contains_key(run) {
            return Ok(());
        }
        let text = self
            .link
            .run("GET", |con| {
                redis::cmd("GET")
                    .arg(keys::experiment(run))
                    .query::<Option<String>>(con)
            })
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("run {run} has no experiment in Redis"))?;
        let path = std::path::PathBuf::from(format!("<redis {}>", keys::experiment(run)));
        let experiment = Experiment::<T>::parse(&text, &path)
            .map_err(|e| format!("the experiment is not one this worker can run: {e}"))?;
        if keys::run_id(&experiment) != run {
            return Err(format!(
                "the experiment posted for run {run} is of run {}",
                keys::run_id(&experiment)
            ));
        }
        let task = experiment
            .check(&path, Some(&text))
            .map_err(|e| format!("the experiment's task does not build here: {e}"))?;
        // A worker serves few runs at a time; forget the oldest beyond eight.
        if self.runs.len() >= 8 {
            self.runs.clear();
        }
        self.runs
            .insert(run.to_string(), Built { experiment, task });
        Ok(())
    }

    /// Writes the chunk's results and acknowledges the chunk, atomically; with
    /// `read_next`, reads the next new chunk in the same transaction (without
    /// waiting for one).
    fn deliver(
        &mut self,
        entry: &Entry,
        target: &Target<'_>,
        body: &ResultBody,
        read_next: bool,
    ) -> Result<Option<Entry>, FarmError> {
        let body = body.encode();
        let key = keys::results(target.run, target.generation);
        let name = self.name.clone();
        let mut xadd = redis::cmd("XADD");
        with_header(xadd.arg(&key).arg("*"), target.run, target.generation)
            .arg("chunk")
            .arg(target.chunk)
            .arg("worker")
            .arg(&name)
            .arg("body")
            .arg(&body);
        let reply = self.link.run("XADD results", |con| {
            let mut pipe = redis::pipe();
            pipe.atomic()
                .add_command(xadd.clone())
                .ignore()
                .cmd("EXPIRE")
                .arg(&key)
                .arg(keys::RUN_TTL_SECS)
                .ignore()
                .cmd("XACK")
                .arg(keys::TASKS)
                .arg(keys::GROUP)
                .arg(&entry.id)
                .ignore();
            if read_next {
                // Inside MULTI, XREADGROUP does not block.
                pipe.cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg(keys::GROUP)
                    .arg(&name)
                    .arg("COUNT")
                    .arg(1)
                    .arg("STREAMS")
                    .arg(keys::TASKS)
                    .arg(">");
            }
            pipe.query::<Vec<redis::Value>>(con)
        });
        match reply {
            Ok(reply) => Ok(reply
                .first()
                .and_then(|value| read_reply(value).into_iter().next())),
            // A Redis that restarted empty has no group for the read-ahead.
            // An error inside MULTI rolls nothing back: the results are
            // written, so make the group again and read the next chunk anew.
            Err(FarmError::Command { message, .. }) if message.contains("NOGROUP") => {
                self.ensure_group()?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn ack(&mut self, entry: &Entry) -> Result<(), FarmError> {
        self.link.run("XACK", |con| {
            redis::cmd("XACK")
                .arg(keys::TASKS)
                .arg(keys::GROUP)
                .arg(&entry.id)
                .query::<()>(con)
        })
    }

    /// Moves a message aside with the reason, tells its master when it is known
    /// (so the run stops with the reason instead of waiting), and acknowledges it.
    fn refuse(
        &mut self,
        entry: &Entry,
        reason: &str,
        target: Option<(&Target<'_>, u64)>,
    ) -> Result<(), FarmError> {
        eprintln!(
            "worker {}: refused message {} of {}: {reason}; moved to {}",
            self.name,
            entry.id,
            keys::TASKS,
            keys::DEAD
        );
        self.summary.refused += 1;
        let (name, oversize) = (
            self.name.clone(),
            entry.size() > self.options.max_message_bytes,
        );
        self.link.run("XADD dead", |con| {
            let mut cmd = dead_letter(reason, keys::TASKS, &entry.id);
            cmd.arg("worker").arg(&name);
            // Keep the message itself for inspection, unless it was too large.
            if !oversize {
                for (k, v) in &entry.fields {
                    cmd.arg(format!("msg.{k}")).arg(v.as_slice());
                }
            }
            cmd.query::<()>(con)
        })?;
        match target {
            Some((target, deliveries)) => {
                let body = ResultBody::Failed {
                    genome_ids: target.genome_ids.clone(),
                    deliveries,
                    reason: format!("worker {}: {reason}", self.name),
                };
                self.deliver(entry, target, &body, false).map(|_| ())
            }
            None => self.ack(entry),
        }
    }

    /// Gives an unfinished chunk back: its idle time is set past the lease, so
    /// the next worker that looks takes it over at once.
    fn hand_back(&mut self, entry: &Entry) -> Result<(), FarmError> {
        let (name, idle) = (self.name.clone(), self.options.lease.as_millis() as u64 + 1);
        self.link.run("XCLAIM IDLE", |con| {
            redis::cmd("XCLAIM")
                .arg(keys::TASKS)
                .arg(keys::GROUP)
                .arg(&name)
                .arg(0)
                .arg(&entry.id)
                .arg("IDLE")
                .arg(idle)
                .arg("JUSTID")
                .query::<redis::Value>(con)
        })?;
        eprintln!(
            "worker {}: stopping; handed chunk {} back",
            self.name, entry.id
        );
        Ok(())
    }

    /// Removes the heartbeat key, and the consumer when nothing is pending on it.
    fn leave(&mut self) -> Result<(), FarmError> {
        let name = self.name.clone();
        self.link.run("DEL", |con| {
            redis::cmd("DEL").arg(keys::worker(&name)).query::<()>(con)
        })?;
        let pending = self.link.run("XPENDING", |con| {
            redis::cmd("XPENDING")
                .arg(keys::TASKS)
                .arg(keys::GROUP)
                .arg("-")
                .arg("+")
                .arg(1)
                .arg(&name)
                .query::<redis::Value>(con)
        })?;
        if pending_deliveries(&pending).is_empty() {
            self.link.run("XGROUP DELCONSUMER", |con| {
                redis::cmd("XGROUP")
                    .arg("DELCONSUMER")
                    .arg(keys::TASKS)
                    .arg(keys::GROUP)
                    .arg(&name)
                    .query::<()>(con)
            })?;
        }
        Ok(())
    }
}

/// Where a chunk's results go.
struct Target<'a> {
    run: &'a str,
    generation: u64,
    chunk: &'a str,
    genome_ids: Vec<u64>,
}
