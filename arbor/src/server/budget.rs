//! How many connections the server may hold, and waiting when the process runs out of file
//! descriptors.

use std::io;
use std::time::Duration;

/// Connections when the open-file limit cannot be read or is unlimited.
const UNLIMITED: usize = 65_536;

/// Seven eighths of the soft open-file limit (`ulimit -n`), leaving the rest (at least 32)
/// for the files, pipes and upstream sockets the app opens.
pub(crate) fn default_max_connections() -> usize {
    match open_file_limit() {
        Some(limit) => of_limit(limit),
        None => UNLIMITED,
    }
}

fn of_limit(limit: u64) -> usize {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let reserve = (limit / 8).max(32);
    limit.saturating_sub(reserve).max(16)
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Whether an accept failed for want of file descriptors (`EMFILE`, `ENFILE`): retrying at
/// once would fail the same way.
pub(crate) fn is_out_of_descriptors(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(23 | 24))
}

/// Waits that double from 10 ms to 1 s while accepting keeps failing.
#[derive(Debug)]
pub(crate) struct Backoff(Duration);

impl Default for Backoff {
    fn default() -> Self {
        Backoff(Duration::ZERO)
    }
}

impl Backoff {
    pub(crate) fn next(&mut self) -> Duration {
        self.0 = (self.0 * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
        self.0
    }

    pub(crate) fn reset(&mut self) {
        self.0 = Duration::ZERO;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_leaves_room_for_files() {
        assert_eq!(of_limit(1024), 896);
        assert_eq!(of_limit(100), 68);
        assert_eq!(of_limit(20), 16);
        assert_eq!(of_limit(1 << 20), 917_504);
    }

    #[test]
    fn backoff_doubles_to_a_second_and_resets() {
        let mut backoff = Backoff::default();
        let waits: Vec<_> = (0..9).map(|_| backoff.next().as_millis()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        backoff.reset();
        assert_eq!(backoff.next().as_millis(), 10);
    }

    #[test]
    fn out_of_descriptors_is_told_apart() {
        assert!(is_out_of_descriptors(&io::Error::from_raw_os_error(24)));
        assert!(is_out_of_descriptors(&io::Error::from_raw_os_error(23)));
        assert!(!is_out_of_descriptors(&io::Error::from_raw_os_error(103)));
    }
}
