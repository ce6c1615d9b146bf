//! Time as the person at the keyboard sees it. Dates a user reads or types (a session's
//! date, "destroyed today", what retention says is due) are local dates: near midnight UTC and
//! local differ, and the CLI and the app must agree.

use std::sync::OnceLock;

use time::{Date, OffsetDateTime, UtcOffset};

/// The local offset, read once per process: every shell's clock says the same.
static LOCAL_OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Where the use cases get the time from.
pub trait Clock {
    /// Now, in the local offset.
    fn now(&self) -> OffsetDateTime;

    /// Today's local date as `YYYY-MM-DD`.
    fn today(&self) -> String {
        self.now().date().to_string()
    }

    /// Now in Unix milliseconds (the stamp notes carry).
    fn now_ms(&self) -> i64 {
        i64::try_from(self.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    }
}

/// The system clock in the local offset, read once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemClock {
    offset: UtcOffset,
}

impl SystemClock {
    /// The clock in the local offset. The first call in a process reads the offset, and
    /// every later one gets that reading: make the first call while the process is still
    /// single-threaded, since on Unix the offset cannot be read safely once other threads
    /// run (it falls back to UTC then).
    pub fn local() -> Self {
        let offset = LOCAL_OFFSET
            .get_or_init(|| UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC));
        Self { offset: *offset }
    }

    /// A clock in a given offset.
    pub fn with_offset(offset: UtcOffset) -> Self {
        Self { offset }
    }

    /// The local offset this clock reports in.
    pub fn offset(&self) -> UtcOffset {
        self.offset
    }
}

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc().to_offset(self.offset)
    }
}

/// A clock that always says the same moment, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub OffsetDateTime);

impl FixedClock {
    /// Noon UTC of a date.
    pub fn on(date: Date) -> Self {
        Self(date.midnight().assume_utc() + time::Duration::hours(12))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}
