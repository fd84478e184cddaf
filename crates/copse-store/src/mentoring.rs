//! SQL for mentoring (issue 5: connecting people and the organization).
