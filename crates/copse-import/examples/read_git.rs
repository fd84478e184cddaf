//! Reads a git repository or bundle with the git reader alone (no database)
//! and prints how long it took, records per second and counts by kind: the
//! reader's share of `bench/import_git_perceval.sh`.
//!
//! `cargo run --release -p copse-import --example read_git -- <path>`

use copse_import::{ActivityKind, Record, Sink, Source};
use std::collections::HashSet;
use std::time::Instant;

/// Counts records by kind and distinct people, keeping nothing else.
#[derive(Default)]
struct Counts {
    records: u64,
    commits: u64,
    merges: u64,
    reviews: u64,
    collaborations: u64,
    mentorships: u64,
    authors: HashSet<String>,
}

impl Sink for Counts {
    fn record(&mut self, record: Record) -> Result<(), String> {
        self.records += 1;
        match record {
            Record::Activity(activity) => match activity.kind {
                ActivityKind::Commit | ActivityKind::Merge => {
                    if activity.kind == ActivityKind::Commit {
                        self.commits += 1;
                    } else {
                        self.merges += 1;
                    }
                    self.authors.insert(activity.who.key);
                }
                ActivityKind::Review => self.reviews += 1,
                _ => self.collaborations += 1,
            },
            Record::Mentorship(_) => self.mentorships += 1,
            _ => {}
        }
        Ok(())
    }
}

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: read_git <repository or bundle>");
        std::process::exit(2);
    };
    let importer = Source::Git.importer();
    let mut counts = Counts::default();
    let started = Instant::now();
    let summary = match importer.read(path.as_ref(), &mut counts) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    println!("read {} records in {seconds:.3} s ({:.0} records/s)", counts.records, counts.records as f64 / seconds);
    println!(
        "commits {} (non-merge {}, merge {}), authors {}, reviews {}, collaborations {}, mentorships {}, warnings {}",
        counts.commits + counts.merges,
        counts.commits,
        counts.merges,
        counts.authors.len(),
        counts.reviews,
        counts.collaborations,
        counts.mentorships,
        summary.warnings.len()
    );
    println!("seconds={seconds:.3}");
}
