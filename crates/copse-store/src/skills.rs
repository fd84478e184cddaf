//! SQL for skills (issue 5: connecting people and the organization).
