//! A connection to Redis that survives Redis going away: every command runs
//! through [`Link::run`], which reconnects (saying so) until the reconnect
//! timeout, and tells the caller that state kept in Redis may be gone.

use std::time::{Duration, Instant};

use redis::{Client, Connection, RedisError};

use crate::error::FarmError;

/// Longest a blocking read waits before it returns to check for a stop.
pub(crate) const BLOCK: Duration = Duration::from_millis(500);

/// A reconnecting connection.
pub(crate) struct Link {
    client: Client,
    /// The URL with its password hidden, for messages.
    pub url: String,
    con: Option<Connection>,
    timeout: Duration,
    /// Who is talking, for messages ("worker w1", "master").
    who: String,
    /// Set when a connection was re-established: streams, groups and keys may
    /// have vanished with a restarted server. The caller clears it.
    pub reconnected: bool,
}

/// `url` with any password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split_once(':').map_or("", |(u, _)| u);
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

impl Link {
    /// Opens `url` and connects, retrying for up to `timeout`.
    pub fn open(url: &str, timeout: Duration, who: impl Into<String>) -> Result<Self, FarmError> {
        let shown = redact(url);
        let client = Client::open(url).map_err(|e| FarmError::Url {
            url: shown.clone(),
            message: e.to_string(),
        })?;
        let mut link = Self {
            client,
            url: shown,
            con: None,
            timeout,
            who: who.into(),
            reconnected: false,
        };
        link.connect()?;
        link.reconnected = false;
        Ok(link)
    }

    /// The client, for a connection of another thread's own.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    fn unreachable(&self, waited: Duration, e: &RedisError) -> FarmError {
        FarmError::Unreachable {
            url: self.url.clone(),
            waited_secs: waited.as_secs(),
            message: e.to_string(),
        }
    }

    /// Connects, retrying with backoff for up to the timeout.
    fn connect(&mut self) -> Result<(), FarmError> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(100);
        let mut said = false;
        loop {
            match self
                .client
                .get_connection_with_timeout(Duration::from_secs(5))
                .and_then(|con| {
                    // A blocking read must outlast its BLOCK time.
                    con.set_read_timeout(Some(BLOCK + Duration::from_secs(10)))?;
                    Ok(con)
                }) {
                Ok(con) => {
                    if said {
                        eprintln!(
                            "{}: reconnected to Redis at {} after {:.1} s",
                            self.who,
                            self.url,
                            started.elapsed().as_secs_f64()
                        );
                    }
                    self.con = Some(con);
                    self.reconnected = true;
                    return Ok(());
                }
                Err(e) if is_auth_or_url(&e) => {
                    return Err(FarmError::Command {
                        url: self.url.clone(),
                        command: "connect".into(),
                        message: e.to_string(),
                    });
                }
                Err(e) => {
                    if started.elapsed() >= self.timeout {
                        return Err(self.unreachable(started.elapsed(), &e));
                    }
                    if !said {
                        eprintln!(
                            "{}: cannot reach Redis at {} ({e}); retrying for up to {} s",
                            self.who,
                            self.url,
                            self.timeout.as_secs()
                        );
                        said = true;
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
            }
        }
    }

    /// Runs `command` (named `name` in errors), reconnecting when the connection
    /// drops. A command error that is not about the connection is returned.
    pub fn run<T>(
        &mut self,
        name: &str,
        mut command: impl FnMut(&mut Connection) -> redis::RedisResult<T>,
    ) -> Result<T, FarmError> {
        loop {
            if self.con.is_none() {
                self.connect()?;
            }
            let con = self.con.as_mut().expect("connected above");
            match command(con) {
                Ok(value) => return Ok(value),
                Err(e) if is_connection_error(&e) => {
                    // A signal (Ctrl-C, SIGTERM) interrupts a blocking read: not a
                    // lost server, but the reply may be half read, so the
                    // connection is replaced all the same.
                    if !interrupted(&e) {
                        eprintln!("{}: lost Redis at {} ({e})", self.who, self.url);
                    }
                    self.con = None;
                }
                Err(e) => {
                    return Err(FarmError::Command {
                        url: self.url.clone(),
                        command: name.to_string(),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
}

fn is_connection_error(e: &RedisError) -> bool {
    e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() || e.is_timeout()
}

/// EINTR. The client keeps the `io::Error` behind an `Arc` that cannot be
/// downcast, so this reads its message (the same on Linux and macOS).
fn interrupted(e: &RedisError) -> bool {
    e.is_io_error() && e.to_string().contains("(os error 4)")
}

/// Errors that waiting will not fix: a wrong password, a bad URL, a server
/// certificate that does not verify.
fn is_auth_or_url(e: &RedisError) -> bool {
    matches!(
        e.kind(),
        redis::ErrorKind::AuthenticationFailed | redis::ErrorKind::InvalidClientConfig
    ) || e.to_string().contains("certificate")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("redis://alice:s3cret@db:6380/2"),
            "redis://alice:***@db:6380/2"
        );
        assert_eq!(redact("rediss://:s3cret@db"), "rediss://:***@db");
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }

    #[test]
    fn a_url_that_does_not_parse_is_a_clear_error() {
        let err = Link::open("http://nope", Duration::from_millis(10), "test")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("not a Redis URL"), "{err}");
    }
}
