//! `--progress`: one status line on standard error while images are read (the layers begun and
//! the bytes read, against the total when it is known), redrawn at most ten times a second, and
//! only when standard error is a terminal: in CI logs and pipes it prints nothing.
//!
//! Readers report bytes in batches ([`Tracker::add_bytes`] takes a lock once per MiB) and
//! layers as they begin, so following progress costs nothing per file of a layer.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REDRAW_EVERY: Duration = Duration::from_millis(100);
/// Bytes a reader accumulates before it takes the lock to report them.
const BATCH: u64 = 1 << 20;
const BAR_WIDTH: usize = 24;

/// The status line of one command, shared by the threads that read images. Disabled (every
/// call a no-op) unless asked for and standard error is a terminal.
#[derive(Clone, Default)]
pub struct Progress {
    state: Option<Arc<Mutex<State>>>,
}

struct State {
    items: Vec<Item>,
    /// How many items the command will read, when it knows (`image 2/5`).
    expected: Option<usize>,
    last_draw: Option<Instant>,
    drawn: bool,
}

struct Item {
    label: String,
    bytes: u64,
    total: Option<u64>,
    layers: usize,
    done: bool,
}

impl Progress {
    pub fn new(requested: bool) -> Progress {
        Progress::with_terminal(requested, std::io::stderr().is_terminal())
    }

    fn with_terminal(requested: bool, terminal: bool) -> Progress {
        let state = (requested && terminal).then(|| Arc::new(Mutex::new(State { items: Vec::new(), expected: None, last_draw: None, drawn: false })));
        Progress { state }
    }

    pub fn expect(&self, count: usize) {
        if let Some(state) = &self.state {
            lock(state).expected = Some(count);
        }
    }

    /// Starts following one image; `total` is its size in bytes when known (a file's length).
    pub fn start(&self, label: &str, total: Option<u64>) -> Tracker {
        let Some(state) = &self.state else { return Tracker::default() };
        let mut guard = lock(state);
        guard.items.push(Item { label: label.to_string(), bytes: 0, total, layers: 0, done: false });
        let index = guard.items.len() - 1;
        guard.draw(true);
        Tracker { state: Some(Arc::clone(state)), index, pending: 0 }
    }

    /// Clears the line: the report follows on a clean terminal.
    pub fn finish(&self) {
        if let Some(state) = &self.state {
            let mut guard = lock(state);
            if guard.drawn {
                let mut stderr = std::io::stderr().lock();
                let _ = write!(stderr, "\r\x1b[2K");
                let _ = stderr.flush();
                guard.drawn = false;
            }
        }
    }
}

/// A poisoned lock only means another reader panicked mid-update: the counts are still usable.
fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reports on one image. Cheap to clone; a default tracker reports nothing.
#[derive(Default)]
pub struct Tracker {
    state: Option<Arc<Mutex<State>>>,
    index: usize,
    pending: u64,
}

impl Clone for Tracker {
    fn clone(&self) -> Tracker {
        Tracker { state: self.state.clone(), index: self.index, pending: 0 }
    }
}

impl Tracker {
    pub fn add_bytes(&mut self, bytes: u64) {
        if self.state.is_none() {
            return;
        }
        self.pending += bytes;
        if self.pending >= BATCH {
            self.flush(false);
        }
    }

    pub fn layer_started(&self) {
        self.update(|item| item.layers += 1, false);
    }

    pub fn done(mut self) {
        self.flush(true);
    }

    fn flush(&mut self, done: bool) {
        let pending = std::mem::take(&mut self.pending);
        self.update(
            |item| {
                item.bytes += pending;
                item.done |= done;
            },
            done,
        );
    }

    fn update(&self, change: impl FnOnce(&mut Item), force: bool) {
        let Some(state) = &self.state else { return };
        let mut guard = lock(state);
        if let Some(item) = guard.items.get_mut(self.index) {
            change(item);
        }
        guard.draw(force);
    }
}

impl State {
    fn draw(&mut self, force: bool) {
        let now = Instant::now();
        if !force && self.last_draw.is_some_and(|last| now.duration_since(last) < REDRAW_EVERY) {
            return;
        }
        self.last_draw = Some(now);
        let line = self.line();
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
        self.drawn = true;
    }

    /// `image 2/5 app:1 [#####-------] 120.0/311.5 MiB, layer 4`; several images read at once
    /// are joined with ` | `.
    fn line(&self) -> String {
        let finished = self.items.iter().filter(|i| i.done).count();
        let mut parts = Vec::new();
        for item in self.items.iter().filter(|i| !i.done) {
            let mut part = item.label.clone();
            match item.total {
                Some(total) if total > 0 => {
                    let filled = ((item.bytes.min(total) as f64 / total as f64) * BAR_WIDTH as f64) as usize;
                    part.push_str(&format!(" [{}{}] {}/{}", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), mib(item.bytes), mib(total)));
                }
                _ => part.push_str(&format!(" {}", mib(item.bytes))),
            }
            part.push_str(" MiB");
            if item.layers > 0 {
                part.push_str(&format!(", layer {}", item.layers));
            }
            parts.push(part);
        }
        let count = match self.expected {
            Some(expected) if expected > 1 => format!("images {finished}/{expected}: "),
            _ => String::new(),
        };
        format!("{count}{}", parts.join(" | "))
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / f64::from(1 << 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_the_terminal_nothing_is_tracked() {
        let progress = Progress::with_terminal(true, false);
        assert!(progress.state.is_none());
        let mut tracker = progress.start("app", Some(10));
        tracker.add_bytes(5 << 20);
        assert!(tracker.state.is_none() && tracker.pending == 0);
        assert!(Progress::with_terminal(false, true).state.is_none());
    }

    #[test]
    fn the_line_shows_bytes_layers_and_images() {
        let state = State {
            items: vec![
                Item { label: "app:1".into(), bytes: 120 << 20, total: Some(240 << 20), layers: 4, done: false },
                Item { label: "db".into(), bytes: 3 << 20, total: None, layers: 1, done: false },
                Item { label: "old".into(), bytes: 1, total: None, layers: 1, done: true },
            ],
            expected: Some(3),
            last_draw: None,
            drawn: false,
        };
        assert_eq!(
            state.line(),
            format!("images 1/3: app:1 [{}{}] 120.0/240.0 MiB, layer 4 | db 3.0 MiB, layer 1", "#".repeat(12), "-".repeat(12))
        );
    }
}
