//! Evaluation spread over many machines through Redis Streams, bit for bit the
//! same run as on one machine.
//!
//! A master ([`RedisEvaluator`], an [`Evaluator`](sprout_evolve::Evaluator) like
//! the local rayon one) posts each generation's genomes, in chunks, to one stream
//! that any number of workers ([`serve`]) read through a consumer group. A worker
//! evaluates a chunk, then writes the results and acknowledges the chunk in one
//! transaction. The master files every result by genome index (and checks the
//! genome's id and hash), never by arrival order, so the run is the local run.
//!
//! Nothing is lost:
//! - a worker that dies leaves its chunks pending; after a lease another worker
//!   takes them over (`XAUTOCLAIM`), while a worker that is alive but slow keeps
//!   its lease by a heartbeat (`XCLAIM … JUSTID`);
//! - a chunk delivered more than `max_deliveries` times is reported to the master
//!   by genome id instead of killing workers forever;
//! - a worker stopped by a signal hands its unfinished chunk back at once;
//! - a master that dies and resumes from its checkpoint reuses the results already
//!   in Redis for the generation it was evaluating;
//! - when Redis goes away, both sides say so and reconnect, up to a timeout.
//!
//! Messages are data (a compact binary form with a protocol version and the
//! run's identity; the experiment itself as RON), never code. A message that does not parse, is too large, or comes from another
//! protocol or experiment is logged and moved to a dead-letter stream; the worker
//! keeps running. See [`keys`] for the layout of the data in Redis.

mod error;
pub mod keys;
mod lease;
mod link;
mod master;
mod message;
mod options;
mod wire;
mod worker;

pub use error::FarmError;
pub use link::redact;
pub use master::{FarmStatus, RedisEvaluator};
pub use message::PROTOCOL;
pub use options::FarmOptions;
pub use worker::{WorkerOptions, WorkerSummary, serve};
