//! Settings shared by masters and workers.

use std::time::Duration;

/// How a master or worker talks to Redis.
#[derive(Debug, Clone)]
pub struct FarmOptions {
    /// `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS.
    pub url: String,
    /// A chunk a worker has not finished (nor renewed by its heartbeat) within
    /// this long is taken over by another worker. Default 30 s.
    pub lease: Duration,
    /// A chunk delivered more often than this is reported as poisoned instead of
    /// being handed out again. Default 3.
    pub max_deliveries: u64,
    /// How long to keep reconnecting when Redis goes away before giving up.
    /// Default 120 s.
    pub reconnect_timeout: Duration,
    /// Larger messages are refused (moved to the dead-letter stream). Default
    /// 64 MiB.
    pub max_message_bytes: usize,
}

impl FarmOptions {
    /// The defaults, for `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            lease: Duration::from_secs(30),
            max_deliveries: 3,
            reconnect_timeout: Duration::from_secs(120),
            max_message_bytes: 64 << 20,
        }
    }
}
