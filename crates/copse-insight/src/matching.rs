//! Mentor matching: an assignment of mentees to mentors that maximizes the
//! total compatibility, respecting each mentor's free capacity.
//!
//! Compatibility is built from complementary skills (what the mentee wants
//! to learn against what the mentor offers, weighted by the mentor's level),
//! shared interests, different teams and locations (cross-pollination) and
//! working-hour overlap across time zones (no overlap below the minimum means
//! no pair). The assignment is a min-cost flow over the sparse graph of
//! compatible pairs (each mentee's best candidates), so it is exact over
//! that graph and stays quick at 10,000 people (see `benches/matching.rs`).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use copse_domain::SkillLevel;

/// Someone offering to mentor, with the slots they have left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorProfile {
    pub person_id: i64,
    pub team: String,
    pub location: String,
    /// Working hours as minutes after UTC midnight, `start < end`, `end` may
    /// exceed 1440 when the day wraps.
    pub work_utc: (i32, i32),
    /// Skill keys offered, with the mentor's declared level for each.
    pub skills: Vec<(String, SkillLevel)>,
    pub interests: Vec<String>,
    /// Capacity minus active and proposed pairings; 0 means never proposed.
    pub free_slots: u32,
}

/// Someone asking for a mentor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenteeProfile {
    pub person_id: i64,
    pub team: String,
    pub location: String,
    pub work_utc: (i32, i32),
    /// Skill keys they want to grow in.
    pub wanted_skills: Vec<String>,
    pub interests: Vec<String>,
}

/// Knobs, with defaults that suit an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchOptions {
    /// Fewest shared working minutes a pair needs.
    pub min_overlap_minutes: i32,
    /// Candidate mentors kept per mentee (best by compatibility) to keep the
    /// graph sparse; 0 keeps them all.
    pub max_candidates_per_mentee: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self { min_overlap_minutes: 60, max_candidates_per_mentee: 30 }
    }
}

/// One proposed pair with its score (hundredths) and reasons in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairProposal {
    pub mentor_id: i64,
    pub mentee_id: i64,
    pub score: i64,
    pub reasons: Vec<String>,
}

/// Why a mentee got no proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmatched {
    /// No mentor with free capacity offers a wanted skill with enough
    /// working-hour overlap.
    NoCompatibleMentor,
    /// Compatible mentors exist but their capacity went to better pairs.
    CapacityTaken,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchOutcome {
    pub pairs: Vec<PairProposal>,
    pub unmatched: Vec<(i64, Unmatched)>,
}

/// Points per wanted skill the mentor offers at expert level (hundredths).
pub const EXPERT_SKILL_POINTS: i64 = 3_000;
/// Points per wanted skill the mentor offers at practitioner level. A
/// mentor only "learning" a skill does not mentor it: no points, no pair.
pub const PRACTITIONER_SKILL_POINTS: i64 = 2_000;
/// Points per shared interest, counted for at most
/// [`SHARED_INTERESTS_COUNTED`] of them (up to +15).
pub const SHARED_INTEREST_POINTS: i64 = 500;
pub const SHARED_INTERESTS_COUNTED: usize = 3;
/// Cross-pollination: mentor and mentee in different teams. An empty team
/// on either side is unknown and earns nothing.
pub const DIFFERENT_TEAM_POINTS: i64 = 1_000;
/// Cross-pollination: different locations (empty = unknown, nothing).
pub const DIFFERENT_LOCATION_POINTS: i64 = 500;
/// The working-time bonus, reached at [`FULL_OVERLAP_MINUTES`] of shared
/// working time and scaled linearly down to zero at the minimum overlap.
pub const OVERLAP_POINTS: i64 = 1_000;
pub const FULL_OVERLAP_MINUTES: i32 = 240;

const DAY: i64 = 24 * 60;

/// Minutes of working time two windows share in a day. Windows are minutes
/// after UTC midnight, `(start, end)`; `end` may exceed 1440 (the window
/// runs past midnight), and an `end` before `start` is read the same way
/// (`(1380, 60)` is 23:00 to 01:00). The day is circular: `(1380, 1500)` and
/// `(0, 120)` share 60 minutes. A window is at most a whole day.
pub fn shared_minutes(a: (i32, i32), b: (i32, i32)) -> i32 {
    shared_normalized(normalized(a), normalized(b)) as i32
}

fn shared_normalized((s1, l1): (i64, i64), (s2, l2): (i64, i64)) -> i64 {
    // Unroll the circle: `a` sits in [0, 2 days); copies of `b` one day
    // either side catch the parts that wrap. Each point of the circle lies
    // in at most one copy of `b` (it is at most a day long), so the sum is
    // exact.
    let mut total = 0;
    for shift in [-DAY, 0, DAY] {
        let lo = s1.max(s2 + shift);
        let hi = (s1 + l1).min(s2 + shift + l2);
        total += (hi - lo).max(0);
    }
    total
}

/// `(start in [0, 1440), length in [0, 1440])`.
fn normalized((start, end): (i32, i32)) -> (i64, i64) {
    let (start, end) = (i64::from(start), i64::from(end));
    let length = if end >= start { (end - start).min(DAY) } else { (end - start).rem_euclid(DAY) };
    (start.rem_euclid(DAY), length)
}

/// "3 h 30 min", "1 h", "45 min".
fn duration_text(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Case-insensitive words (skill keys, interests, teams, locations) turned
/// into small integers once, so the many pair evaluations compare numbers.
#[derive(Default)]
struct Words(HashMap<String, u32>);

impl Words {
    /// `None` for an empty word (unknown, never equal to anything).
    fn id(&mut self, raw: &str) -> Option<u32> {
        let key = raw.trim().to_lowercase();
        if key.is_empty() {
            return None;
        }
        let next = self.0.len() as u32;
        Some(*self.0.entry(key).or_insert(next))
    }

    fn set(&mut self, raw: &[String]) -> Vec<u32> {
        let mut ids: Vec<u32> = raw.iter().filter_map(|w| self.id(w)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

struct PreparedMentor {
    person_id: i64,
    team: Option<u32>,
    location: Option<u32>,
    /// Normalized working window, see [`normalized`].
    window: (i64, i64),
    /// Skills offered at practitioner or expert, sorted by id, best level
    /// when a skill is listed twice.
    offered: Vec<(u32, SkillLevel)>,
    interests: Vec<u32>,
}

struct PreparedMentee {
    person_id: i64,
    team: Option<u32>,
    location: Option<u32>,
    window: (i64, i64),
    wanted: Vec<u32>,
    interests: Vec<u32>,
}

fn prepare_mentor(words: &mut Words, mentor: &MentorProfile) -> PreparedMentor {
    let mut offered: Vec<(u32, SkillLevel)> = mentor
        .skills
        .iter()
        .filter(|(_, level)| *level != SkillLevel::Learning)
        .filter_map(|(key, level)| words.id(key).map(|id| (id, *level)))
        .collect();
    // Best level first within a skill, then keep the first of each skill.
    offered.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    offered.dedup_by_key(|s| s.0);
    PreparedMentor {
        person_id: mentor.person_id,
        team: words.id(&mentor.team),
        location: words.id(&mentor.location),
        window: normalized(mentor.work_utc),
        offered,
        interests: words.set(&mentor.interests),
    }
}

fn prepare_mentee(words: &mut Words, mentee: &MenteeProfile) -> PreparedMentee {
    PreparedMentee {
        person_id: mentee.person_id,
        team: words.id(&mentee.team),
        location: words.id(&mentee.location),
        window: normalized(mentee.work_utc),
        wanted: words.set(&mentee.wanted_skills),
        interests: words.set(&mentee.interests),
    }
}

/// Size of the intersection of two sorted, deduplicated id lists.
fn common_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Points for the wanted skills the mentor offers (both lists sorted).
fn skill_points(offered: &[(u32, SkillLevel)], wanted: &[u32]) -> i64 {
    let mut points = 0;
    let (mut i, mut j) = (0, 0);
    while i < offered.len() && j < wanted.len() {
        match offered[i].0.cmp(&wanted[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                points += level_points(offered[i].1);
                i += 1;
                j += 1;
            }
        }
    }
    points
}

fn level_points(level: SkillLevel) -> i64 {
    match level {
        SkillLevel::Expert => EXPERT_SKILL_POINTS,
        SkillLevel::Practitioner => PRACTITIONER_SKILL_POINTS,
        SkillLevel::Learning => 0,
    }
}

/// The one place the score is computed, for [`compatibility`] and the
/// matcher alike, given the skill points (which the matcher sums through
/// its skill index instead of [`skill_points`]). Free slots are checked by
/// the callers.
fn pair_score(mentor: &PreparedMentor, mentee: &PreparedMentee, skills: i64, min_overlap: i32) -> Option<i64> {
    if skills <= 0 || mentor.person_id == mentee.person_id {
        return None;
    }
    let overlap = shared_normalized(mentor.window, mentee.window);
    if overlap < i64::from(min_overlap) {
        return None;
    }
    let shared = common_count(&mentor.interests, &mentee.interests).min(SHARED_INTERESTS_COUNTED);
    let different = |a: Option<u32>, b: Option<u32>| matches!((a, b), (Some(a), Some(b)) if a != b);
    let mut score = skills + SHARED_INTEREST_POINTS * shared as i64;
    if different(mentor.team, mentee.team) {
        score += DIFFERENT_TEAM_POINTS;
    }
    if different(mentor.location, mentee.location) {
        score += DIFFERENT_LOCATION_POINTS;
    }
    Some(score + overlap_points(overlap, min_overlap))
}

/// Linear from the minimum overlap (0 points) to [`FULL_OVERLAP_MINUTES`]
/// (all [`OVERLAP_POINTS`]), integer arithmetic rounding down.
fn overlap_points(overlap: i64, min_overlap: i32) -> i64 {
    let floor = i64::from(min_overlap.max(0));
    let full = i64::from(FULL_OVERLAP_MINUTES);
    if overlap >= full || floor >= full {
        return OVERLAP_POINTS;
    }
    (OVERLAP_POINTS * (overlap - floor).max(0) / (full - floor)).clamp(0, OVERLAP_POINTS)
}

/// The reasons in words for a pair already known to be compatible, in a
/// fixed order: skills (in the mentee's order), interests, team, location,
/// working time.
fn reasons(mentor: &MentorProfile, mentee: &MenteeProfile) -> Vec<String> {
    let fold = |s: &str| s.trim().to_lowercase();
    let mut reasons = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for wanted in &mentee.wanted_skills {
        let key = fold(wanted);
        if key.is_empty() || seen.contains(&key) {
            continue;
        }
        let best = mentor
            .skills
            .iter()
            .filter(|(skill, level)| *level != SkillLevel::Learning && fold(skill) == key)
            .max_by_key(|(_, level)| *level);
        if let Some((skill, level)) = best {
            reasons.push(format!("offers {} ({})", skill.trim(), level.as_str()));
        }
        seen.push(key);
    }
    let mentor_interests: Vec<String> = mentor.interests.iter().map(|i| fold(i)).collect();
    let mut shared: Vec<String> =
        mentee.interests.iter().map(|i| fold(i)).filter(|i| !i.is_empty() && mentor_interests.contains(i)).collect();
    shared.sort();
    shared.dedup();
    if !shared.is_empty() {
        let noun = if shared.len() == 1 { "shared interest" } else { "shared interests" };
        reasons.push(format!("{} {noun}: {}", shared.len(), shared.join(", ")));
    }
    let (mentor_team, mentee_team) = (mentor.team.trim(), mentee.team.trim());
    if !mentor_team.is_empty() && !mentee_team.is_empty() && fold(mentor_team) != fold(mentee_team) {
        reasons.push(format!("different team: {mentor_team} / {mentee_team}"));
    }
    let (mentor_place, mentee_place) = (fold(&mentor.location), fold(&mentee.location));
    if !mentor_place.is_empty() && !mentee_place.is_empty() && mentor_place != mentee_place {
        reasons.push("different location".to_string());
    }
    let overlap = shared_minutes(mentor.work_utc, mentee.work_utc);
    if overlap > 0 {
        reasons.push(format!("{} of shared working time", duration_text(overlap)));
    }
    reasons
}

/// The compatibility of one pair, or `None` when they cannot pair (same
/// person, no wanted skill offered, too little overlap, no free slot).
///
/// The score, in hundredths, adds for each wanted skill the mentor offers
/// [`EXPERT_SKILL_POINTS`] or [`PRACTITIONER_SKILL_POINTS`] (a mentor who
/// is only learning a skill does not mentor it), [`SHARED_INTEREST_POINTS`]
/// per shared interest (at most [`SHARED_INTERESTS_COUNTED`]),
/// [`DIFFERENT_TEAM_POINTS`], [`DIFFERENT_LOCATION_POINTS`], and up to
/// [`OVERLAP_POINTS`] for shared working time (see [`shared_minutes`]).
/// Skill keys, interests, teams and locations compare trimmed and
/// case-insensitively. The reasons say the same in words, e.g. "offers
/// rust (expert)", "2 shared interests: observability, sre", "different
/// team: Payments / Platform" (mentor's team first), "different location",
/// "3 h 30 min of shared working time".
pub fn compatibility(mentor: &MentorProfile, mentee: &MenteeProfile, options: &MatchOptions) -> Option<PairProposal> {
    if mentor.free_slots == 0 {
        return None;
    }
    let mut words = Words::default();
    let prepared_mentor = prepare_mentor(&mut words, mentor);
    let prepared_mentee = prepare_mentee(&mut words, mentee);
    let skills = skill_points(&prepared_mentor.offered, &prepared_mentee.wanted);
    let score = pair_score(&prepared_mentor, &prepared_mentee, skills, options.min_overlap_minutes)?;
    Some(PairProposal {
        mentor_id: mentor.person_id,
        mentee_id: mentee.person_id,
        score,
        reasons: reasons(mentor, mentee),
    })
}

/// The best assignment: total compatibility is maximal, no mentor gets more
/// than `free_slots` mentees, nobody is paired with themselves.
///
/// How: each mentee keeps only its best `max_candidates_per_mentee`
/// compatible mentors (ties by input order; 0 keeps them all). Candidates
/// are found through an index of mentors by offered skill, so only mentors
/// offering a wanted skill are scored. That pruning is the one place the
/// result can fall short of the unpruned optimum: a mentee whose best
/// `max_candidates_per_mentee` mentors are all better used elsewhere stays
/// unmatched even if a weaker mentor further down had room. Over the pruned
/// graph the assignment is exact: a min-cost flow where every mentee sends
/// one unit either through a mentor (cost `BIG - score`, mentor to sink
/// capacity `free_slots`) or straight to the sink as "unmatched" (cost
/// `BIG`), so leaving a mentee unmatched is always allowed and a pair never
/// lowers the total. Mentees are added one at a time, each with a Dijkstra
/// search for the shortest augmenting path on reduced costs (Hungarian
/// method / successive shortest paths with potentials), stopped as soon as
/// the sink is settled; with every mentee routed, the flow is a minimum,
/// i.e. the total score is a maximum.
///
/// Each entry is matched on its own: pass each person once per list (the
/// same person may be in both lists; they are never paired with
/// themselves). Pairs come sorted by (mentee, mentor) with reasons in
/// words, each scored as [`compatibility`] scores it; unmatched
/// mentees sorted by id, with [`Unmatched::NoCompatibleMentor`] when they
/// had no candidate at all and [`Unmatched::CapacityTaken`] otherwise.
pub fn match_mentors(mentors: &[MentorProfile], mentees: &[MenteeProfile], options: &MatchOptions) -> MatchOutcome {
    match_mentors_excluding(mentors, mentees, options, &[])
}

/// [`match_mentors`] with some pairs ruled out, given as
/// `(mentor_id, mentee_id)`: for example pairs declined before, so a new
/// round stays an exact optimum instead of patching the old one. A mentee
/// whose every compatible mentor is excluded is
/// [`Unmatched::NoCompatibleMentor`].
pub fn match_mentors_excluding(
    mentors: &[MentorProfile],
    mentees: &[MenteeProfile],
    options: &MatchOptions,
    excluded: &[(i64, i64)],
) -> MatchOutcome {
    let excluded: HashSet<(i64, i64)> = excluded.iter().copied().collect();
    let mut words = Words::default();
    // Mentors with room only; `open[i]` is the index into `mentors`.
    let open: Vec<usize> = (0..mentors.len()).filter(|&i| mentors[i].free_slots > 0).collect();
    let prepared_mentors: Vec<PreparedMentor> = open.iter().map(|&i| prepare_mentor(&mut words, &mentors[i])).collect();
    // Mentors by offered skill, with the points the skill earns them.
    let mut by_skill: Vec<Vec<(u32, i64)>> = vec![Vec::new(); words.0.len()];
    for (m, mentor) in prepared_mentors.iter().enumerate() {
        for &(skill, level) in &mentor.offered {
            by_skill[skill as usize].push((m as u32, level_points(level)));
        }
    }

    // The sparse graph, one row per mentee with at least one candidate.
    let keep = if options.max_candidates_per_mentee == 0 { usize::MAX } else { options.max_candidates_per_mentee };
    let mut graph = Graph { row_start: vec![0], ..Graph::default() };
    let mut row_mentee: Vec<usize> = Vec::new();
    let mut outcome = MatchOutcome::default();
    // Skill points per mentor for the current mentee (0 = not a candidate).
    let mut points = vec![0i64; prepared_mentors.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut scored: Vec<(i64, u32)> = Vec::new();
    for (e, mentee) in mentees.iter().enumerate() {
        let prepared = prepare_mentee(&mut words, mentee);
        touched.clear();
        for &skill in &prepared.wanted {
            for &(m, skill_points) in by_skill.get(skill as usize).map(Vec::as_slice).unwrap_or_default() {
                if points[m as usize] == 0 {
                    touched.push(m);
                }
                points[m as usize] += skill_points;
            }
        }
        scored.clear();
        for &m in &touched {
            let skills = std::mem::take(&mut points[m as usize]);
            let mentor = &prepared_mentors[m as usize];
            if let Some(score) = pair_score(mentor, &prepared, skills, options.min_overlap_minutes)
                && (excluded.is_empty() || !excluded.contains(&(mentor.person_id, prepared.person_id)))
            {
                scored.push((score, m));
            }
        }
        scored.retain(|&(score, _)| score > 0);
        if scored.is_empty() {
            outcome.unmatched.push((mentee.person_id, Unmatched::NoCompatibleMentor));
            continue;
        }
        let best_first = |a: &(i64, u32), b: &(i64, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > keep {
            scored.select_nth_unstable_by(keep - 1, best_first);
            scored.truncate(keep);
        }
        scored.sort_unstable_by(best_first);
        for &(score, m) in &scored {
            graph.mentor.push(m);
            graph.weight.push(score);
        }
        graph.row_start.push(graph.mentor.len());
        row_mentee.push(e);
    }

    let capacity: Vec<u32> = open.iter().map(|&i| mentors[i].free_slots).collect();
    let assignment = assign(&graph, &capacity);
    for (row, assigned) in assignment.into_iter().enumerate() {
        let mentee = &mentees[row_mentee[row]];
        match assigned {
            Some(edge) => {
                let mentor = &mentors[open[graph.mentor[edge] as usize]];
                outcome.pairs.push(PairProposal {
                    mentor_id: mentor.person_id,
                    mentee_id: mentee.person_id,
                    score: graph.weight[edge],
                    reasons: reasons(mentor, mentee),
                });
            }
            None => outcome.unmatched.push((mentee.person_id, Unmatched::CapacityTaken)),
        }
    }
    outcome.pairs.sort_by_key(|p| (p.mentee_id, p.mentor_id));
    outcome.unmatched.sort_by_key(|u| u.0);
    outcome
}

/// Candidate edges in compressed rows: row `r`'s edges are
/// `row_start[r]..row_start[r + 1]`, each to a mentor with a positive weight.
#[derive(Default)]
struct Graph {
    row_start: Vec<usize>,
    mentor: Vec<u32>,
    weight: Vec<i64>,
}

impl Graph {
    fn rows(&self) -> usize {
        self.row_start.len() - 1
    }
}

const NO_EDGE: usize = usize::MAX;

/// Exact maximum-weight assignment of rows to mentors (each mentor takes at
/// most `capacity[m]` rows, a row may stay unassigned); the chosen edge per
/// row. See [`match_mentors`] for the flow model.
///
/// Nodes: rows, mentors and the sink. Residual edges: row to mentor (unused
/// candidate edge, cost `BIG - w`), mentor to row (the row is assigned
/// there, cost `w - BIG`), row to sink (unmatched, cost `BIG`; for rows
/// routed through a mentor and the row being added), mentor to sink (room
/// left, cost 0). Potentials keep every reduced cost non-negative, so
/// Dijkstra applies; the sink's potential stays 0. A row that went to the
/// sink is never reached again (no residual edge leads into it) and stays
/// unmatched, which is optimal because a mentor's price only rises.
///
/// Rows are added strongest first (by their best edge): the order does not
/// change the optimum, but strong rows placed early are rarely displaced,
/// so the searches stay small (about a third less work at 10,000 people).
fn assign(graph: &Graph, capacity: &[u32]) -> Vec<Option<usize>> {
    let rows = graph.rows();
    let mentors = capacity.len();
    // Any BIG at least the largest weight keeps costs non-negative; every
    // row sends its unit either way, so BIG does not change the optimum.
    let big = graph.weight.iter().copied().max().unwrap_or(0);
    let mut edge_row = vec![0u32; graph.mentor.len()];
    for row in 0..rows {
        edge_row[graph.row_start[row]..graph.row_start[row + 1]].fill(row as u32);
    }

    let mut assigned = vec![NO_EDGE; rows];
    let mut holders: Vec<Vec<u32>> = vec![Vec::new(); mentors];
    // Rows first, then mentors.
    let mut nodes = vec![SearchNode::default(); rows + mentors];
    // The candidate edge by which each mentor was last reached.
    let mut via = vec![NO_EDGE; mentors];
    let mut order: Vec<usize> = Vec::new();
    let mut heap = RadixHeap::new();
    let mut strongest_first: Vec<usize> = (0..rows).collect();
    strongest_first.sort_by_key(|&row| Reverse(graph.weight[graph.row_start[row]]));

    for (stamp, start) in (1u32..).zip(strongest_first) {
        heap.clear();
        order.clear();
        nodes[start].dist = 0;
        nodes[start].reached = stamp;
        heap.push(0, start as u32);
        // Best distance to the sink so far and how: `Ok(row)` through the
        // row's unmatched edge, `Err(mentor)` through the mentor's room.
        // Nothing at or beyond it is ever pushed: it could not be settled.
        let mut to_sink = i64::MAX;
        let mut last: Result<usize, usize> = Ok(start);
        while let Some((d, node)) = heap.pop() {
            if d >= to_sink {
                break;
            }
            let node = node as usize;
            let here = &mut nodes[node];
            if here.settled == stamp || d > here.dist {
                continue;
            }
            here.settled = stamp;
            let potential = here.potential;
            order.push(node);
            if node < rows {
                if d + big + potential < to_sink {
                    to_sink = d + big + potential;
                    last = Ok(node);
                }
                let own = assigned[node];
                let base = d + big + potential;
                let (first, end) = (graph.row_start[node], graph.row_start[node + 1]);
                let mentor_nodes = &mut nodes[rows..];
                let edges = graph.mentor[first..end].iter().zip(&graph.weight[first..end]);
                for (edge, (&mentor, &weight)) in (first..end).zip(edges) {
                    // Edges come best first and a mentor's potential is
                    // never positive (it starts at 0 and only falls), so
                    // `base - weight` bounds this and every later edge.
                    if base - weight >= to_sink {
                        break;
                    }
                    if edge == own {
                        continue;
                    }
                    let next = &mut mentor_nodes[mentor as usize];
                    let nd = base - weight - next.potential;
                    if nd < to_sink && next.settled != stamp && (next.reached != stamp || nd < next.dist) {
                        next.reached = stamp;
                        next.dist = nd;
                        via[mentor as usize] = edge;
                        heap.push(nd, rows as u32 + mentor);
                    }
                }
            } else {
                let m = node - rows;
                if (holders[m].len() as u32) < capacity[m] && d + potential < to_sink {
                    to_sink = d + potential;
                    last = Err(m);
                }
                for &row in &holders[m] {
                    let next = &mut nodes[row as usize];
                    let nd = d - (big - graph.weight[assigned[row as usize]]) + potential - next.potential;
                    if nd < to_sink && next.settled != stamp && (next.reached != stamp || nd < next.dist) {
                        next.reached = stamp;
                        next.dist = nd;
                        heap.push(nd, row);
                    }
                }
            }
        }

        // Keep reduced costs non-negative: π(v) += min(d(v), D) - D, where
        // D is the distance to the sink (nodes not settled keep theirs,
        // which is the same up to a constant).
        for &node in &order {
            let dist = nodes[node].dist;
            if dist < to_sink {
                nodes[node].potential -= to_sink - dist;
            }
        }

        // Walk the path back from the sink, flipping assignments.
        let mut mentor = match last {
            Ok(row) if row == start => continue,
            Ok(row) => {
                let m = graph.mentor[assigned[row]] as usize;
                release(&mut holders[m], row);
                assigned[row] = NO_EDGE;
                m
            }
            Err(m) => m,
        };
        loop {
            let edge = via[mentor];
            let row = edge_row[edge] as usize;
            let previous = assigned[row];
            assigned[row] = edge;
            holders[mentor].push(row as u32);
            if row == start {
                break;
            }
            let m = graph.mentor[previous] as usize;
            release(&mut holders[m], row);
            mentor = m;
        }
    }
    assigned.into_iter().map(|edge| (edge != NO_EDGE).then_some(edge)).collect()
}

/// A monotone priority queue (radix heap) for the Dijkstra searches: keys
/// are non-negative and never below the last key popped, which holds
/// because reduced costs are non-negative. An entry sits in the bucket of
/// the highest bit where its key differs from the last popped key; popping
/// redistributes the first non-empty bucket around its minimum. Stale
/// entries are skipped by the caller, as with a binary heap.
struct RadixHeap {
    last: i64,
    buckets: [Vec<(i64, u32)>; 65],
}

impl RadixHeap {
    fn new() -> Self {
        Self { last: 0, buckets: std::array::from_fn(|_| Vec::new()) }
    }

    fn bucket(key: i64, last: i64) -> usize {
        64 - (key ^ last).leading_zeros() as usize
    }

    fn clear(&mut self) {
        self.last = 0;
        self.buckets.iter_mut().for_each(Vec::clear);
    }

    fn push(&mut self, key: i64, node: u32) {
        debug_assert!(key >= self.last, "keys never go below the last popped");
        self.buckets[Self::bucket(key, self.last)].push((key, node));
    }

    fn pop(&mut self) -> Option<(i64, u32)> {
        if self.buckets[0].is_empty() {
            let first = (1..self.buckets.len()).find(|&i| !self.buckets[i].is_empty())?;
            let mut items = std::mem::take(&mut self.buckets[first]);
            self.last = items.iter().map(|&(key, _)| key).min().unwrap_or(self.last);
            // Every item now lands in a lower bucket.
            for &(key, node) in &items {
                self.buckets[Self::bucket(key, self.last)].push((key, node));
            }
            items.clear();
            self.buckets[first] = items;
        }
        self.buckets[0].pop()
    }
}

/// One node's search state; stamps say which search last touched it, so
/// nothing is reset between searches.
#[derive(Debug, Clone, Copy, Default)]
struct SearchNode {
    potential: i64,
    dist: i64,
    reached: u32,
    settled: u32,
}

fn release(holders: &mut Vec<u32>, row: usize) {
    if let Some(i) = holders.iter().position(|&r| r as usize == row) {
        holders.swap_remove(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SkillLevel::{Expert, Learning, Practitioner};

    /// 09:00-17:00 UTC.
    const OFFICE: (i32, i32) = (540, 1020);

    fn mentor(person_id: i64, skills: &[(&str, SkillLevel)], free_slots: u32) -> MentorProfile {
        MentorProfile {
            person_id,
            team: "Platform".into(),
            location: "Lisbon".into(),
            work_utc: OFFICE,
            skills: skills.iter().map(|(s, l)| (s.to_string(), *l)).collect(),
            interests: Vec::new(),
            free_slots,
        }
    }

    fn mentee(person_id: i64, wanted: &[&str]) -> MenteeProfile {
        MenteeProfile {
            person_id,
            team: "Platform".into(),
            location: "Lisbon".into(),
            work_utc: OFFICE,
            wanted_skills: wanted.iter().map(|s| s.to_string()).collect(),
            interests: Vec::new(),
        }
    }

    fn options() -> MatchOptions {
        MatchOptions::default()
    }

    fn pairs(outcome: &MatchOutcome) -> Vec<(i64, i64, i64)> {
        outcome.pairs.iter().map(|p| (p.mentee_id, p.mentor_id, p.score)).collect()
    }

    fn total(outcome: &MatchOutcome) -> i64 {
        outcome.pairs.iter().map(|p| p.score).sum()
    }

    #[test]
    fn shared_minutes_handles_plain_and_wrapping_windows() {
        assert_eq!(shared_minutes(OFFICE, OFFICE), 480);
        assert_eq!(shared_minutes((540, 1020), (900, 1200)), 120);
        assert_eq!(shared_minutes((540, 1020), (1020, 1200)), 0);
        // 23:00-01:00 against 00:00-02:00: one hour after midnight.
        assert_eq!(shared_minutes((1380, 1500), (0, 120)), 60);
        assert_eq!(shared_minutes((0, 120), (1380, 1500)), 60);
        // The same window written with a clock-time end.
        assert_eq!(shared_minutes((1380, 60), (0, 120)), 60);
        // Both wrap: 22:00-06:00 and 23:00-07:00 share 7 hours.
        assert_eq!(shared_minutes((1320, 1800), (1380, 1860)), 420);
        // A night shift meets both ends of a long day: 20:00-04:00 against
        // 02:00-22:00 shares 02:00-04:00 and 20:00-22:00.
        assert_eq!(shared_minutes((1200, 1680), (120, 1320)), 240);
        // A whole day shares the other window entirely; days never exceed 1440.
        assert_eq!(shared_minutes((0, 1440), (1380, 1500)), 120);
        assert_eq!(shared_minutes((300, 1740), (100, 1540)), 1440);
        assert_eq!(shared_minutes((0, 5000), (0, 1440)), 1440);
        // Shifting both windows by whole days changes nothing.
        assert_eq!(shared_minutes((1380 + 1440, 1500 + 1440), (-1440, 120 - 1440)), 60);
        assert_eq!(shared_minutes((600, 600), OFFICE), 0);
    }

    #[test]
    fn compatibility_adds_every_part_by_hand() {
        let mentor = MentorProfile {
            team: "Payments".into(),
            location: "Nairobi".into(),
            // 12:00-19:00 UTC against the mentee's 09:00-17:00: 5 h shared.
            work_utc: (720, 1140),
            skills: vec![("rust".into(), Expert), ("Go".into(), Practitioner), ("sql".into(), Learning)],
            interests: vec!["SRE".into(), "observability".into(), "music".into(), "chess".into()],
            ..mentor(1, &[], 2)
        };
        let mentee = MenteeProfile {
            wanted_skills: vec!["Rust".into(), "go".into(), "sql".into()],
            interests: vec!["observability".into(), "sre".into(), "cooking".into()],
            ..mentee(2, &[])
        };
        let pair = compatibility(&mentor, &mentee, &options()).expect("compatible");
        // rust expert 30 + go practitioner 20 + sql learning 0 + 2 interests
        // × 5 + team 10 + location 5 + full overlap bonus 10 = 85.
        assert_eq!(pair.score, 8_500);
        assert_eq!((pair.mentor_id, pair.mentee_id), (1, 2));
        assert_eq!(
            pair.reasons,
            vec![
                "offers rust (expert)",
                "offers Go (practitioner)",
                "2 shared interests: observability, sre",
                "different team: Payments / Platform",
                "different location",
                "5 h of shared working time",
            ]
        );
    }

    #[test]
    fn shared_interests_count_at_most_three() {
        let interests: Vec<String> = ["a", "b", "c", "d", "e"].iter().map(|s| s.to_string()).collect();
        let mentor = MentorProfile { interests: interests.clone(), ..mentor(1, &[("rust", Practitioner)], 1) };
        let many = MenteeProfile { interests, ..mentee(2, &["rust"]) };
        let pair = compatibility(&mentor, &many, &options()).unwrap();
        // 20 + 15 (not 25) + 10 overlap.
        assert_eq!(pair.score, 4_500);
        assert_eq!(pair.reasons[1], "5 shared interests: a, b, c, d, e");
        let one = MenteeProfile { interests: vec![" C ".into()], ..mentee(2, &["rust"]) };
        let pair = compatibility(&mentor, &one, &options()).unwrap();
        assert_eq!(pair.score, 3_500);
        assert_eq!(pair.reasons[1], "1 shared interest: c");
    }

    #[test]
    fn overlap_bonus_scales_from_the_minimum_to_four_hours() {
        let mentor = mentor(1, &[("rust", Practitioner)], 1);
        let at = |start: i32, end: i32| {
            let mentee = MenteeProfile { work_utc: (start, end), ..mentee(2, &["rust"]) };
            compatibility(&mentor, &mentee, &options()).map(|p| (p.score, p.reasons.last().cloned().unwrap()))
        };
        // Mentor works 540-1020. 59 min shared: below the 60 minimum.
        assert_eq!(at(961, 1500), None);
        assert_eq!(at(960, 1500), Some((2_000, "1 h of shared working time".into())));
        // 150 min: (150 - 60) / (240 - 60) = half the bonus.
        assert_eq!(at(870, 1500), Some((2_500, "2 h 30 min of shared working time".into())));
        // 210 min: 1000 × 150 / 180 = 833 (rounded down).
        assert_eq!(at(810, 1500), Some((2_833, "3 h 30 min of shared working time".into())));
        assert_eq!(at(780, 1500), Some((3_000, "4 h of shared working time".into())));
        assert_eq!(at(0, 1440), Some((3_000, "8 h of shared working time".into())));
        // Without a minimum, 45 min counts and scales from zero.
        let loose = MatchOptions { min_overlap_minutes: 0, ..options() };
        let short = MenteeProfile { work_utc: (975, 1500), ..mentee(2, &["rust"]) };
        let pair = compatibility(&mentor, &short, &loose).unwrap();
        assert_eq!(pair.score, 2_000 + 1_000 * 45 / 240);
        assert_eq!(pair.reasons.last().unwrap(), "45 min of shared working time");
        let apart = MenteeProfile { work_utc: (1020, 1500), ..mentee(2, &["rust"]) };
        let pair = compatibility(&mentor, &apart, &loose).unwrap();
        assert_eq!((pair.score, pair.reasons.len()), (2_000, 1));
    }

    #[test]
    fn compatibility_refuses_what_cannot_pair() {
        let rust = mentor(1, &[("rust", Expert), ("go", Learning)], 1);
        // Same person.
        assert_eq!(compatibility(&rust, &mentee(1, &["rust"]), &options()), None);
        // No free slot.
        assert_eq!(compatibility(&mentor(1, &[("rust", Expert)], 0), &mentee(2, &["rust"]), &options()), None);
        // Only offered while learning, or not offered at all.
        assert_eq!(compatibility(&rust, &mentee(2, &["go"]), &options()), None);
        assert_eq!(compatibility(&rust, &mentee(2, &["python"]), &options()), None);
        assert_eq!(compatibility(&rust, &mentee(2, &[]), &options()), None);
        // Interests alone do not make a pair.
        let curious = MenteeProfile { interests: vec!["sre".into()], ..mentee(2, &["python"]) };
        let sre = MentorProfile { interests: vec!["sre".into()], ..rust.clone() };
        assert_eq!(compatibility(&sre, &curious, &options()), None);
        // Too little shared time.
        let night = MenteeProfile { work_utc: (1320, 1800), ..mentee(2, &["rust"]) };
        assert_eq!(compatibility(&rust, &night, &options()), None);
    }

    #[test]
    fn skill_keys_compare_case_insensitively_and_count_once() {
        let mentor = mentor(1, &[("Kubernetes", Learning), ("kubernetes", Expert), ("RUST", Practitioner)], 1);
        let mentee = mentee(2, &["KUBERNETES", "kubernetes ", "rust"]);
        let pair = compatibility(&mentor, &mentee, &options()).unwrap();
        // kubernetes at its best level once (30) + rust 20 + overlap 10.
        assert_eq!(pair.score, 6_000);
        assert_eq!(&pair.reasons[..2], ["offers kubernetes (expert)", "offers RUST (practitioner)"]);
    }

    #[test]
    fn same_team_or_unknown_team_earns_no_cross_pollination() {
        let base = mentor(1, &[("rust", Practitioner)], 1);
        let same = MenteeProfile { team: " platform ".into(), location: "LISBON".into(), ..mentee(2, &["rust"]) };
        assert_eq!(compatibility(&base, &same, &options()).unwrap().score, 3_000);
        let unknown = MenteeProfile { team: String::new(), location: String::new(), ..mentee(2, &["rust"]) };
        let pair = compatibility(&base, &unknown, &options()).unwrap();
        assert_eq!(pair.score, 3_000);
        assert_eq!(pair.reasons, vec!["offers rust (practitioner)", "8 h of shared working time"]);
        let other = MenteeProfile { team: "Data".into(), ..mentee(2, &["rust"]) };
        let pair = compatibility(&base, &other, &options()).unwrap();
        assert_eq!(pair.score, 4_000);
        assert_eq!(pair.reasons[1], "different team: Platform / Data");
    }

    #[test]
    fn the_optimum_beats_greedy_by_best_edge() {
        // x: A 30 + 10 = 40, B 20 + 10 = 30. y: only A (go), 20 + 10 = 30.
        // Greedy takes x–A (40) and leaves y with nobody: 40. The optimum is
        // x–B + y–A = 60.
        let mentors =
            [mentor(1, &[("rust", Expert), ("go", Practitioner)], 1), mentor(2, &[("rust", Practitioner)], 1)];
        let mentees = [mentee(10, &["rust"]), mentee(11, &["go"])];
        let outcome = match_mentors(&mentors, &mentees, &options());
        assert_eq!(pairs(&outcome), vec![(10, 2, 3_000), (11, 1, 3_000)]);
        assert!(outcome.unmatched.is_empty());
        assert_eq!(outcome.pairs[1].reasons, vec!["offers go (practitioner)", "8 h of shared working time"]);
    }

    #[test]
    fn the_optimum_can_leave_a_mentee_to_give_two_others_a_pair() {
        // One slot each. x (rust): A 30 + 10 = 40, B 40. y (go, team Data):
        // A 30 + 10 + different team 10 = 50. z (sql): B 20 + 10 = 30.
        // y–A + x–B = 90 beats y–A + z–B = 80 and x–A + z–B = 70: z stays
        // unmatched, its capacity taken.
        let mentors = [
            mentor(1, &[("rust", Expert), ("go", Expert)], 1),
            mentor(2, &[("rust", Expert), ("sql", Practitioner)], 1),
        ];
        let y = MenteeProfile { team: "Data".into(), ..mentee(11, &["go"]) };
        let mentees = [mentee(10, &["rust"]), y, mentee(12, &["sql"])];
        let outcome = match_mentors(&mentors, &mentees, &options());
        assert_eq!(pairs(&outcome), vec![(10, 2, 4_000), (11, 1, 5_000)]);
        assert_eq!(outcome.unmatched, vec![(12, Unmatched::CapacityTaken)]);
    }

    #[test]
    fn capacities_are_respected() {
        // M has 2 slots and is everyone's best (expert 40); N has 1 slot
        // (practitioner 30). The third mentee goes to N.
        let mentors = [mentor(1, &[("rust", Expert)], 2), mentor(2, &[("rust", Practitioner)], 1)];
        let mentees = [mentee(10, &["rust"]), mentee(11, &["rust"]), mentee(12, &["rust"])];
        let outcome = match_mentors(&mentors, &mentees, &options());
        assert_eq!(outcome.pairs.iter().filter(|p| p.mentor_id == 1).count(), 2);
        assert_eq!(outcome.pairs.iter().filter(|p| p.mentor_id == 2).count(), 1);
        assert_eq!(total(&outcome), 4_000 + 4_000 + 3_000);
        assert!(outcome.unmatched.is_empty());

        // Without N, the one with the weakest pair stays unmatched: mentee
        // 12 works 16:00-20:00 UTC, one hour with M, so 30 against 40.
        let late = MenteeProfile { work_utc: (960, 1200), ..mentee(12, &["rust"]) };
        let mentees = [mentee(10, &["rust"]), mentee(11, &["rust"]), late];
        let outcome = match_mentors(&mentors[..1], &mentees, &options());
        assert_eq!(pairs(&outcome), vec![(10, 1, 4_000), (11, 1, 4_000)]);
        assert_eq!(outcome.unmatched, vec![(12, Unmatched::CapacityTaken)]);
    }

    #[test]
    fn a_mentor_without_free_slots_is_never_proposed() {
        let mentors = [mentor(1, &[("rust", Expert)], 0), mentor(2, &[("rust", Practitioner)], 1)];
        let outcome = match_mentors(&mentors, &[mentee(10, &["rust"]), mentee(11, &["rust"])], &options());
        assert_eq!(pairs(&outcome), vec![(10, 2, 3_000)]);
        assert_eq!(outcome.unmatched, vec![(11, Unmatched::CapacityTaken)]);
        let outcome = match_mentors(&mentors[..1], &[mentee(10, &["rust"])], &options());
        assert!(outcome.pairs.is_empty());
        assert_eq!(outcome.unmatched, vec![(10, Unmatched::NoCompatibleMentor)]);
    }

    #[test]
    fn nobody_is_paired_with_themselves() {
        // Person 5 offers rust and wants rust; the only other mentor is 6.
        let mentors = [mentor(5, &[("rust", Expert)], 3), mentor(6, &[("rust", Practitioner)], 1)];
        let outcome = match_mentors(&mentors, &[mentee(5, &["rust"])], &options());
        assert_eq!(pairs(&outcome), vec![(5, 6, 3_000)]);
        let outcome = match_mentors(&mentors[..1], &[mentee(5, &["rust"])], &options());
        assert_eq!(outcome.unmatched, vec![(5, Unmatched::NoCompatibleMentor)]);
    }

    #[test]
    fn no_possible_pair_says_so_for_everyone() {
        let mentors = [mentor(1, &[("rust", Learning)], 2), mentor(2, &[("go", Expert)], 1)];
        let far = MenteeProfile { work_utc: (1320, 1800), ..mentee(12, &["go"]) };
        let mentees = [mentee(11, &["python"]), far, mentee(10, &["rust"]), mentee(13, &[])];
        let outcome = match_mentors(&mentors, &mentees, &options());
        assert!(outcome.pairs.is_empty());
        assert_eq!(
            outcome.unmatched,
            vec![
                (10, Unmatched::NoCompatibleMentor),
                (11, Unmatched::NoCompatibleMentor),
                (12, Unmatched::NoCompatibleMentor),
                (13, Unmatched::NoCompatibleMentor),
            ]
        );
        assert_eq!(match_mentors(&[], &[], &options()), MatchOutcome::default());
        assert!(match_mentors(&mentors, &[], &options()).pairs.is_empty());
    }

    #[test]
    fn pairs_across_midnight_utc() {
        // Mentor in UTC+10 works 09:00-17:00 local = 23:00-07:00 UTC, written
        // (1380, 1860); a mentee at 00:00-02:00 UTC shares 2 hours, one at
        // 06:00-14:00 UTC shares 1 hour, one at 08:00-16:00 shares none.
        let sydney = MentorProfile { work_utc: (1380, 1860), ..mentor(1, &[("rust", Expert)], 3) };
        let early = MenteeProfile { work_utc: (0, 120), ..mentee(10, &["rust"]) };
        let morning = MenteeProfile { work_utc: (360, 840), ..mentee(11, &["rust"]) };
        let office = MenteeProfile { work_utc: (480, 960), ..mentee(12, &["rust"]) };
        let outcome = match_mentors(std::slice::from_ref(&sydney), &[early, morning, office], &options());
        // 2 h: 30 + 1000 × 60 / 180 = 333 → 3333; 1 h: 30 + 0.
        assert_eq!(pairs(&outcome), vec![(10, 1, 3_333), (11, 1, 3_000)]);
        assert_eq!(outcome.pairs[0].reasons.last().unwrap(), "2 h of shared working time");
        assert_eq!(outcome.unmatched, vec![(12, Unmatched::NoCompatibleMentor)]);
        // The brief's case: (1380, 1500) against (0, 120) overlaps 60 minutes.
        let late = MentorProfile { work_utc: (1380, 1500), ..mentor(1, &[("rust", Expert)], 1) };
        let early = MenteeProfile { work_utc: (0, 120), ..mentee(10, &["rust"]) };
        assert_eq!(compatibility(&late, &early, &options()).map(|p| p.score), Some(3_000));
        let strict = MatchOptions { min_overlap_minutes: 61, ..options() };
        assert_eq!(compatibility(&late, &early, &strict), None);
    }

    #[test]
    fn excluded_pairs_are_never_proposed_and_the_rest_stays_optimal() {
        let mentors =
            [mentor(1, &[("rust", Expert), ("go", Practitioner)], 1), mentor(2, &[("rust", Practitioner)], 1)];
        let mentees = [mentee(10, &["rust"]), mentee(11, &["go"])];
        // 10 declined mentor 2: 10–A (40) beats 11–A (30); 11 is left.
        let outcome = match_mentors_excluding(&mentors, &mentees, &options(), &[(2, 10)]);
        assert_eq!(pairs(&outcome), vec![(10, 1, 4_000)]);
        assert_eq!(outcome.unmatched, vec![(11, Unmatched::CapacityTaken)]);
        // 11 declined its only compatible mentor: nothing left for it.
        let outcome = match_mentors_excluding(&mentors, &mentees, &options(), &[(1, 11)]);
        assert_eq!(pairs(&outcome), vec![(10, 1, 4_000)]);
        assert_eq!(outcome.unmatched, vec![(11, Unmatched::NoCompatibleMentor)]);
        // Excluding a pair that was not in the optimum changes nothing.
        let outcome = match_mentors_excluding(&mentors, &mentees, &options(), &[(1, 10), (7, 7)]);
        assert_eq!(outcome, match_mentors(&mentors, &mentees, &options()));
    }

    #[test]
    fn pruning_keeps_the_best_candidates_per_mentee() {
        // With one candidate kept, mentee 10 only sees mentor 1 (its best),
        // which mentee 11 values more, so 10 stays unmatched though mentor 2
        // had room: the documented cost of pruning.
        let mentors = [mentor(1, &[("rust", Expert), ("go", Expert)], 1), mentor(2, &[("rust", Practitioner)], 1)];
        let eleven = MenteeProfile { team: "Data".into(), ..mentee(11, &["go", "rust"]) };
        let mentees = [mentee(10, &["rust"]), eleven];
        let narrow = MatchOptions { max_candidates_per_mentee: 1, ..options() };
        let outcome = match_mentors(&mentors, &mentees, &narrow);
        assert_eq!(pairs(&outcome), vec![(11, 1, 8_000)]);
        assert_eq!(outcome.unmatched, vec![(10, Unmatched::CapacityTaken)]);
        let outcome = match_mentors(&mentors, &mentees, &options());
        assert_eq!(pairs(&outcome), vec![(10, 2, 3_000), (11, 1, 8_000)]);
    }

    /// A small deterministic generator (xorshift64*), no dependencies.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }

        fn words(&mut self, pool: &[&str], most: u64) -> Vec<String> {
            (0..self.below(most + 1)).map(|_| self.pick(pool).to_string()).collect()
        }

        fn window(&mut self) -> (i32, i32) {
            let start = (self.below(8) as i32 * 90 + 1200) % 1440;
            (start, start + 240 + self.below(7) as i32 * 60)
        }
    }

    // "rust" and "RUST " are one skill on purpose: two keys keep the
    // instances contested, the third checks case folding in the matcher.
    const SKILLS: [&str; 3] = ["rust", "Go", "RUST "];
    const INTERESTS: [&str; 3] = ["sre", "music", "Chess"];
    const TEAMS: [&str; 3] = ["Payments", "Platform", ""];
    const PLACES: [&str; 3] = ["Lisbon", "Nairobi", ""];

    /// `mentors` mentors with 0 to `most_slots` free slots and `mentees`
    /// mentees, skills drawn from `skills`.
    fn random_instance(
        rng: &mut Rng,
        mentors: u64,
        mentees: u64,
        skills: &[&str],
        most_slots: u64,
    ) -> (Vec<MentorProfile>, Vec<MenteeProfile>) {
        let levels = [Learning, Practitioner, Expert];
        let mentors = (0..mentors)
            .map(|i| MentorProfile {
                person_id: 100 + i as i64,
                team: rng.pick(&TEAMS).into(),
                location: rng.pick(&PLACES).into(),
                work_utc: rng.window(),
                skills: (0..1 + rng.below(3))
                    .map(|_| (rng.pick(skills).to_string(), levels[rng.below(3) as usize]))
                    .collect(),
                interests: rng.words(&INTERESTS, 3),
                free_slots: rng.below(most_slots + 1) as u32,
            })
            .collect();
        let mentees = (0..mentees)
            .map(|i| MenteeProfile {
                // Now and then a mentee is also one of the mentors (ids stay
                // unique among mentees).
                person_id: if rng.below(6) == 0 { 100 + i as i64 } else { 200 + i as i64 },
                team: rng.pick(&TEAMS).into(),
                location: rng.pick(&PLACES).into(),
                work_utc: rng.window(),
                wanted_skills: (0..1 + rng.below(2)).map(|_| rng.pick(skills).to_string()).collect(),
                interests: rng.words(&INTERESTS, 3),
            })
            .collect();
        (mentors, mentees)
    }

    fn weights(mentors: &[MentorProfile], mentees: &[MenteeProfile], options: &MatchOptions) -> Vec<Vec<Option<i64>>> {
        mentees
            .iter()
            .map(|e| mentors.iter().map(|m| compatibility(m, e, options).map(|p| p.score)).collect())
            .collect()
    }

    /// Checks what every outcome must satisfy: each mentee once, pairs
    /// compatible and scored as `compatibility` says, capacities kept,
    /// reasons for the unmatched right, pairs sorted.
    fn check_outcome(
        mentors: &[MentorProfile],
        mentees: &[MenteeProfile],
        options: &MatchOptions,
        outcome: &MatchOutcome,
    ) {
        assert_eq!(outcome.pairs.len() + outcome.unmatched.len(), mentees.len());
        for pair in &outcome.pairs {
            // Mentor and mentee ids are distinct within their lists here.
            let m = mentors.iter().position(|m| m.person_id == pair.mentor_id).unwrap();
            let e = mentees.iter().position(|e| e.person_id == pair.mentee_id).unwrap();
            assert_eq!(compatibility(&mentors[m], &mentees[e], options).as_ref(), Some(pair));
        }
        for mentor in mentors {
            let taken = outcome.pairs.iter().filter(|p| p.mentor_id == mentor.person_id).count() as u32;
            assert!(taken <= mentor.free_slots);
        }
        for &(id, why) in &outcome.unmatched {
            let e = mentees.iter().position(|e| e.person_id == id).unwrap();
            let any = mentors.iter().any(|m| compatibility(m, &mentees[e], options).is_some());
            assert_eq!(why, if any { Unmatched::CapacityTaken } else { Unmatched::NoCompatibleMentor });
            assert!(!outcome.pairs.iter().any(|p| p.mentee_id == id));
        }
        let keys: Vec<(i64, i64)> = outcome.pairs.iter().map(|p| (p.mentee_id, p.mentor_id)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let unmatched: Vec<i64> = outcome.unmatched.iter().map(|u| u.0).collect();
        assert!(unmatched.windows(2).all(|w| w[0] < w[1]));
    }

    /// Every assignment of mentees to a mentor or to nobody, best total.
    fn brute_force(weights: &[Vec<Option<i64>>], slots: &mut [u32], mentee: usize) -> i64 {
        if mentee == weights.len() {
            return 0;
        }
        let mut best = brute_force(weights, slots, mentee + 1);
        for m in 0..slots.len() {
            if let Some(w) = weights[mentee][m]
                && slots[m] > 0
            {
                slots[m] -= 1;
                best = best.max(w + brute_force(weights, slots, mentee + 1));
                slots[m] += 1;
            }
        }
        best
    }

    /// Best edge first, for contrast: how often is it short of the optimum?
    fn greedy(weights: &[Vec<Option<i64>>], slots: &mut [u32]) -> i64 {
        let mut edges: Vec<(i64, usize, usize)> = Vec::new();
        for (e, row) in weights.iter().enumerate() {
            edges.extend(row.iter().enumerate().filter_map(|(m, w)| w.map(|w| (w, e, m))));
        }
        edges.sort_by(|a, b| b.cmp(a));
        let mut taken = vec![false; weights.len()];
        let mut total = 0;
        for (w, e, m) in edges {
            if !taken[e] && slots[m] > 0 {
                taken[e] = true;
                slots[m] -= 1;
                total += w;
            }
        }
        total
    }

    #[test]
    fn matches_an_exhaustive_search_on_random_small_instances() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let options = MatchOptions { min_overlap_minutes: 60, max_candidates_per_mentee: 10 };
        let (mut paired, mut greedy_short) = (0, 0);
        for _ in 0..600 {
            let (mentor_count, mentee_count) = (1 + rng.below(3), 2 + rng.below(4));
            let (mentors, mentees) = random_instance(&mut rng, mentor_count, mentee_count, &SKILLS, 2);
            let weights = weights(&mentors, &mentees, &options);
            let mut slots: Vec<u32> = mentors.iter().map(|m| m.free_slots).collect();
            let best = brute_force(&weights, &mut slots, 0);
            if greedy(&weights, &mut slots) < best {
                greedy_short += 1;
            }
            let outcome = match_mentors(&mentors, &mentees, &options);
            assert_eq!(total(&outcome), best, "{mentors:#?}\n{mentees:#?}\n{outcome:#?}");
            check_outcome(&mentors, &mentees, &options, &outcome);
            paired += outcome.pairs.len();
        }
        // The instances are not trivially empty, and greedy is often wrong.
        assert!(paired > 600, "{paired}");
        assert!(greedy_short > 20, "{greedy_short}");
    }

    /// Independent reference for bigger instances: the textbook flow
    /// (source → mentee → mentor → sink, cost −score, no "unmatched" edge)
    /// solved by successive shortest paths with Bellman-Ford, augmenting
    /// while the shortest path still lowers the cost; the best total score.
    fn reference_total(weights: &[Vec<Option<i64>>], slots: &[u32]) -> i64 {
        struct Arc {
            to: usize,
            cap: i64,
            cost: i64,
        }
        fn add(arcs: &mut Vec<Arc>, out: &mut [Vec<usize>], from: usize, to: usize, cap: i64, cost: i64) {
            out[from].push(arcs.len());
            arcs.push(Arc { to, cap, cost });
            out[to].push(arcs.len());
            arcs.push(Arc { to: from, cap: 0, cost: -cost });
        }
        let (n, m) = (weights.len(), slots.len());
        let (source, sink, nodes) = (n + m, n + m + 1, n + m + 2);
        let mut arcs = Vec::new();
        let mut out = vec![Vec::new(); nodes];
        for (e, row) in weights.iter().enumerate() {
            add(&mut arcs, &mut out, source, e, 1, 0);
            for (j, w) in row.iter().enumerate() {
                if let Some(w) = w {
                    add(&mut arcs, &mut out, e, n + j, 1, -w);
                }
            }
        }
        for (j, &slots) in slots.iter().enumerate() {
            add(&mut arcs, &mut out, n + j, sink, i64::from(slots), 0);
        }
        let mut total = 0;
        loop {
            let mut dist = vec![i64::MAX; nodes];
            let mut via = vec![usize::MAX; nodes];
            dist[source] = 0;
            for _ in 0..nodes {
                let mut changed = false;
                for u in 0..nodes {
                    if dist[u] == i64::MAX {
                        continue;
                    }
                    for &a in &out[u] {
                        if arcs[a].cap > 0 && dist[u] + arcs[a].cost < dist[arcs[a].to] {
                            dist[arcs[a].to] = dist[u] + arcs[a].cost;
                            via[arcs[a].to] = a;
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            if dist[sink] >= 0 {
                return total;
            }
            total -= dist[sink];
            let mut v = sink;
            while v != source {
                let a = via[v];
                arcs[a].cap -= 1;
                arcs[a ^ 1].cap += 1;
                v = arcs[a ^ 1].to;
            }
        }
    }

    #[test]
    fn matches_a_reference_flow_on_random_mid_size_instances() {
        // Up to 40 mentees and 12 mentors with up to 3 slots: long
        // augmenting paths, many potential updates.
        const MORE_SKILLS: [&str; 5] = ["rust", "go", "sql", "k8s", "python"];
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        for (round, keep) in (0..60).zip([0, 30].into_iter().cycle()) {
            let options = MatchOptions { min_overlap_minutes: 60, max_candidates_per_mentee: keep };
            let (mentor_count, mentee_count) = (4 + rng.below(9), 10 + rng.below(31));
            let (mentors, mentees) = random_instance(&mut rng, mentor_count, mentee_count, &MORE_SKILLS, 3);
            let weights = weights(&mentors, &mentees, &options);
            let slots: Vec<u32> = mentors.iter().map(|m| m.free_slots).collect();
            let outcome = match_mentors(&mentors, &mentees, &options);
            assert_eq!(total(&outcome), reference_total(&weights, &slots), "round {round}");
            check_outcome(&mentors, &mentees, &options, &outcome);
        }
    }

    #[test]
    fn the_reference_agrees_with_the_exhaustive_search() {
        // The reference is itself checked where brute force can run.
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        let options = MatchOptions::default();
        for _ in 0..200 {
            let (mentor_count, mentee_count) = (1 + rng.below(3), 2 + rng.below(4));
            let (mentors, mentees) = random_instance(&mut rng, mentor_count, mentee_count, &SKILLS, 2);
            let weights = weights(&mentors, &mentees, &options);
            let mut slots: Vec<u32> = mentors.iter().map(|m| m.free_slots).collect();
            assert_eq!(reference_total(&weights, &slots), brute_force(&weights, &mut slots, 0));
        }
    }
}
