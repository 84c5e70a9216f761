//! What can go wrong between a master, its workers and Redis.

/// An error of distributed evaluation.
#[derive(Debug, thiserror::Error)]
pub enum FarmError {
    /// The Redis URL does not parse.
    #[error(
        "{url}: not a Redis URL ({message}); use redis://[user:password@]host[:port][/db] or rediss:// for TLS"
    )]
    Url {
        /// The URL, password hidden.
        url: String,
        /// Why.
        message: String,
    },
    /// Redis could not be reached within the reconnect timeout.
    #[error(
        "{url}: Redis unreachable for {waited_secs} s ({message}); is redis-server running there?"
    )]
    Unreachable {
        /// The URL, password hidden.
        url: String,
        /// How long it was retried.
        waited_secs: u64,
        /// The last connection error.
        message: String,
    },
    /// Redis answered a command with an error (authentication, a wrong type,
    /// a server older than 6.2, …).
    #[error("{url}: Redis refused `{command}`: {message}")]
    Command {
        /// The URL, password hidden.
        url: String,
        /// The command.
        command: String,
        /// Redis's answer.
        message: String,
    },
    /// A chunk of genomes was delivered to workers too many times: each worker
    /// that took it died or gave it back, or a worker refused it.
    #[error(
        "generation {generation}: genomes {genome_ids:?} got no result after {deliveries} deliveries to workers ({reason}); stopping instead of handing them out again"
    )]
    Poisoned {
        /// The generation.
        generation: u64,
        /// The genomes of the chunk.
        genome_ids: Vec<u64>,
        /// How many times the chunk was delivered.
        deliveries: u64,
        /// What the last worker reported.
        reason: String,
    },
    /// The worker's thread pool could not be built.
    #[error("worker threads: {0}")]
    Threads(String),
}
