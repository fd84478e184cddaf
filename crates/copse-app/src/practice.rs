//! Use cases for the practice repository: artifacts, versions and diffs,
//! status and owners, review-by dates and stale flags, reuse, checklist runs,
//! backlinks.
