//! The demo organization's year of discussions and questions, and the posts
//! part of the scale generator.
//!
//! The demo: hand-written threads for every demo community (questions, most
//! answered and many accepted with time saved, a few still unanswered;
//! discussions; announcements by facilitators, pinned; a proposal or two),
//! replies drawn from each thread's own answers and from the community's
//! usual chatter, reactions, a few edits with their history, @mentions that
//! notify, and the activity record for all of it. The Rust Guild has one long
//! thread (50 posts, the benchmark's thread page) and one question that stays
//! unanswered ([`UNANSWERED_RUST_QUESTION`]). Dates are offsets before the
//! real now, so the discussions always look alive; every choice comes from
//! the demo's seeded generator.
//!
//! The scale generator's posts ([`scale_posts`]) are plainer: threads spread
//! over the generated communities by popularity, about 20 posts each (some
//! 50), text drawn from a Zipf-distributed vocabulary of common and rare
//! technical words so full-text search has realistic term statistics.
//! They are written with multi-row INSERTs in transactions of about 20,000
//! posts, without per-post activity records or notifications.

use std::collections::HashMap;

use copse_domain::links::mentioned_handles;
use copse_domain::{CommunityId, MembershipStatus, PersonId, Reaction, ThreadKind, Timestamp, Visibility};
use copse_store::{BulkPost, BulkThread, LoadOptions, Mentions, PostUpdate, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::demo::Progress;
use crate::{App, AppError};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The Rust Guild question that the demo leaves unanswered (the browser
/// journey and the unanswered page show it).
pub const UNANSWERED_RUST_QUESTION: &str = "Can tokio-console attach to services built from the service template?";
/// The Rust Guild's long thread (50 posts), the load benchmark's thread page.
pub const LONG_RUST_THREAD: &str = "Async Rust in production: what has bitten you?";

// ---------------------------------------------------------------------------
// The demo.
// ---------------------------------------------------------------------------

/// A hand-written thread.
struct Seed {
    kind: ThreadKind,
    title: &'static str,
    tags: &'static [&'static str],
    /// A fixed demo account who starts it; otherwise a member (a facilitator
    /// for announcements).
    by: Option<&'static str>,
    body: &'static str,
    /// Replies written for this thread, in order.
    replies: &'static [&'static str],
    /// The reply that solved it (questions only).
    solved_by: Option<usize>,
}

/// A community's threads and the replies its members often give.
struct CommunitySeeds {
    slug: &'static str,
    threads: &'static [Seed],
    /// Short questions with one specific answer ("" to leave only chatter).
    quick: &'static [(&'static str, &'static str, &'static str)],
    chatter: &'static [&'static str],
}

/// People of one community, as the demo loaded them.
struct Crowd {
    community: CommunityId,
    visibility: Visibility,
    members: Vec<PersonId>,
    /// How likely each member (in `members`' order) is to write: the square
    /// of their recent activity, so the core writes most and the quiet never.
    weights: Vec<f64>,
    facilitators: Vec<PersonId>,
    /// Handle, first name and team of each member, by id.
    who: HashMap<PersonId, (String, String, String)>,
}

impl Crowd {
    fn first_name(&self, person: PersonId) -> &str {
        self.who.get(&person).map_or("all", |w| w.1.as_str())
    }

    /// Fills a reply template: `{asker}` (first name), `{team}` (the
    /// replier's team) and `{other}` (the handle of another member).
    fn fill(&self, rng: &mut StdRng, template: &str, asker: PersonId, by: PersonId) -> String {
        let other = pick_member(rng, self, &[asker, by]).and_then(|p| self.who.get(&p)).map_or("ada", |w| w.0.as_str());
        let team = self.who.get(&by).map(|w| w.2.as_str()).filter(|t| !t.is_empty()).unwrap_or("our team");
        template.replace("{asker}", self.first_name(asker)).replace("{team}", team).replace("{other}", other)
    }
}

/// A thread planned for loading, with what happens to it afterwards.
struct Planned {
    thread: BulkThread,
    /// (post index, people who react, reaction)
    reactions: Vec<(usize, Vec<PersonId>, Reaction)>,
    /// Minutes saved by the asker and by people who reused the answer.
    time_saved: Vec<(PersonId, i64, &'static str)>,
    /// A post edited later: (index, new body, how long after).
    edit: Option<(usize, String, i64)>,
    visibility: Visibility,
}

/// A member to write something, by their weight; never one of `not`.
fn pick_member(rng: &mut StdRng, crowd: &Crowd, not: &[PersonId]) -> Option<PersonId> {
    let candidates: Vec<(PersonId, f64)> = crowd
        .members
        .iter()
        .zip(&crowd.weights)
        .filter(|(p, w)| !not.contains(p) && **w > 0.0)
        .map(|(p, w)| (*p, *w))
        .collect();
    candidates.choose_weighted(rng, |c| c.1).ok().map(|c| c.0)
}

/// Loads the demo discussions; returns (threads, posts).
pub(crate) async fn load(app: &App, rng: &mut StdRng) -> Result<(u64, u64), AppError> {
    let store = app.store();
    let now = Timestamp::now().millis();
    let mut fixed: HashMap<&'static str, PersonId> = HashMap::new();
    for handle in ["ada", "sam", "priya", "guest"] {
        if let Some(row) = store.find_person_by_handle(handle).await? {
            fixed.insert(handle, PersonId(row.id));
        }
    }
    let mut planned: Vec<Planned> = Vec::new();
    for seeds in SEEDS {
        let Some(row) = store.find_community_for_viewer(seeds.slug, None).await? else { continue };
        let community = CommunityId(row.community.id);
        let recent = Timestamp(now).minus_days(90);
        let members = store.list_members(community, MembershipStatus::Active, recent, 1_000).await?;
        let crowd = Crowd {
            community,
            visibility: Visibility::parse(&row.community.visibility).unwrap_or(Visibility::Private),
            members: members.iter().map(|m| PersonId(m.person_id)).collect(),
            weights: members.iter().map(|m| (m.recent_contributions as f64).powi(2)).collect(),
            facilitators: members.iter().filter(|m| m.role == "facilitator").map(|m| PersonId(m.person_id)).collect(),
            who: members
                .iter()
                .map(|m| {
                    let first = m.name.split_whitespace().next().unwrap_or(&m.name).to_string();
                    (PersonId(m.person_id), (m.handle.clone(), first, m.team.clone()))
                })
                .collect(),
        };
        if crowd.members.len() < 3 {
            continue;
        }
        for seed in seeds.threads {
            planned.push(plan_seed(rng, &crowd, seeds, seed, &fixed, now));
        }
        for quick in seeds.quick {
            let (title, body, answer) = quick;
            let replies: &'static [&'static str] = if answer.is_empty() { &[] } else { std::slice::from_ref(&quick.2) };
            let solved_by = (!replies.is_empty() && rng.gen_bool(0.55)).then_some(0);
            let seed = Seed { kind: ThreadKind::Question, title, tags: &[], by: None, body, replies, solved_by };
            planned.push(plan_seed(rng, &crowd, seeds, &seed, &fixed, now));
        }
        if seeds.slug == "rust-guild" {
            planned.push(plan_long_thread(rng, &crowd, &fixed, now));
        }
    }
    // Oldest first, so ids follow time as they would have.
    planned.sort_by_key(|p| p.thread.posts[0].at);
    let threads: Vec<BulkThread> = planned.iter().map(|p| p.thread.clone()).collect();
    let mut loaded = Vec::with_capacity(threads.len());
    for chunk in threads.chunks(100) {
        loaded.extend(store.load_threads(chunk, LoadOptions { contributions: true, post_ids: true }).await?);
    }

    let mut reactions: Vec<(i64, PersonId, &str, i64)> = Vec::new();
    for (plan, got) in planned.iter().zip(&loaded) {
        for (index, people, reaction) in &plan.reactions {
            let Some(&post) = got.posts.get(*index) else { continue };
            let at = plan.thread.posts[*index].at + HOUR;
            reactions.extend(people.iter().map(|p| (post, *p, reaction.as_str(), at)));
        }
        if let Some((index, accepted_at)) = plan.thread.accepted
            && let Some(&post) = got.posts.get(index)
        {
            for (person, minutes, note) in &plan.time_saved {
                store.record_time_saved(got.id, post, *person, *minutes, note, Timestamp(accepted_at + DAY)).await?;
            }
        }
        // Mentions tell whoever may see the community, as in real use.
        for (index, post) in plan.thread.posts.iter().enumerate() {
            if mentioned_handles(&post.body).is_empty() {
                continue;
            }
            let (Some(author), Some(&id)) = (post.author, got.posts.get(index)) else { continue };
            let people = app.mention_targets(&post.body, plan.thread.community, plan.visibility, author).await?;
            let name = store.get_person(author).await?.name;
            let message = format!("{name} mentioned you in “{}”", plan.thread.title);
            let mentions = Mentions { people: &people, message: &message, link_prefix: "/posts/" };
            store.notify_mentions(id, &mentions, Timestamp(post.at)).await?;
        }
        if let Some((index, body, after)) = &plan.edit
            && let (Some(&post), Some(editor)) = (got.posts.get(*index), plan.thread.posts[*index].author)
        {
            store
                .update_post(&PostUpdate {
                    post,
                    thread: got.id,
                    base_version: 1,
                    body,
                    editor,
                    title: None,
                    tags: None,
                    mentions: Mentions { people: &[], message: "", link_prefix: "/posts/" },
                    at: Timestamp(plan.thread.posts[*index].at + after),
                })
                .await?;
        }
    }
    store.load_reactions(&reactions).await?;
    let posts = loaded.iter().map(|t| t.posts.len() as u64).sum();
    Ok((loaded.len() as u64, posts))
}

/// Turns one seed into a dated thread with authors, replies, reactions and
/// (for questions) an accepted answer and time saved.
fn plan_seed(
    rng: &mut StdRng,
    crowd: &Crowd,
    seeds: &CommunitySeeds,
    seed: &Seed,
    fixed: &HashMap<&'static str, PersonId>,
    now: i64,
) -> Planned {
    let fixed_author = seed.by.and_then(|h| fixed.get(h)).copied().filter(|p| crowd.members.contains(p));
    let author = match (fixed_author, seed.kind) {
        (Some(person), _) => person,
        (None, ThreadKind::Announcement) => {
            *crowd.facilitators.choose(rng).or_else(|| crowd.members.first()).unwrap_or(&crowd.members[0])
        }
        (None, _) => pick_member(rng, crowd, &[]).unwrap_or(crowd.members[0]),
    };
    let started = now - rng.gen_range(3 * DAY..360 * DAY) - rng.gen_range(0..DAY);
    let mut at = started;
    let mut posts = vec![BulkPost { author: Some(author), body: seed.body.to_string(), at }];
    // The thread's own replies first, then some of the community's usual
    // ones and a few from templates that name people and teams. Questions
    // written without replies stay unanswered, as do half of the short
    // questions without an answer.
    let mut texts: Vec<&str> = seed.replies.to_vec();
    let quick = seeds.quick.iter().any(|(t, _, _)| *t == seed.title);
    let unanswered = seed.kind == ThreadKind::Question && seed.replies.is_empty() && (!quick || rng.gen_bool(0.5));
    if !unanswered {
        let mut chatter: Vec<&str> = seeds.chatter.to_vec();
        chatter.shuffle(rng);
        texts.extend(chatter.into_iter().take(rng.gen_range(0..=2)));
        if rng.gen_bool(0.4) {
            texts.extend(GENERIC_REPLIES.choose(rng));
        }
        let mut templates: Vec<&str> = TEMPLATE_REPLIES.to_vec();
        templates.shuffle(rng);
        texts.extend(templates.into_iter().take(rng.gen_range(1..=4)));
    }
    let mut last_author = author;
    for text in texts {
        at += rng.gen_range(20 * MINUTE..2 * DAY);
        if at >= now - 5 * MINUTE {
            break;
        }
        // A reply written in the asker's voice starts with ASKER_MARK; and
        // now and then the asker comes back with a follow-up anyway.
        let (text, by_asker) = match text.strip_prefix(ASKER_MARK) {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let by = if by_asker || (rng.gen_bool(0.15) && last_author != author) {
            author
        } else {
            pick_member(rng, crowd, &[last_author]).unwrap_or(author)
        };
        last_author = by;
        let body = crowd.fill(rng, text, author, by);
        posts.push(BulkPost { author: Some(by), body, at });
    }
    let is_question = seed.kind == ThreadKind::Question;
    let accepted = if is_question && posts.len() > 1 {
        let index = match seed.solved_by {
            Some(k) if k + 1 < posts.len() => Some(k + 1),
            Some(_) => None,
            None if rng.gen_bool(0.35) => Some(rng.gen_range(1..posts.len())),
            None => None,
        };
        index.filter(|&i| posts[i].author != Some(author)).map(|i| (i, posts[i].at + rng.gen_range(HOUR..3 * DAY)))
    } else {
        None
    };
    let accepted = accepted.filter(|(_, at)| *at < now);
    // The asker often says thanks once an answer worked.
    if let Some((index, accepted_at)) = accepted
        && rng.gen_bool(0.6)
        && accepted_at + 2 * HOUR < now
        && let Some(answerer) = posts[index].author
    {
        let template = THANKS_REPLIES[rng.gen_range(0..THANKS_REPLIES.len())];
        let body = template.replace("{answerer}", crowd.first_name(answerer));
        let at = (accepted_at + rng.gen_range(MINUTE..2 * HOUR)).max(posts.last().map_or(0, |p| p.at) + MINUTE);
        if at < now {
            posts.push(BulkPost { author: Some(author), body, at });
        }
    }
    let mut time_saved = Vec::new();
    if accepted.is_some() {
        if rng.gen_bool(0.7) {
            time_saved.push((author, [15, 30, 45, 60, 90, 120, 240][rng.gen_range(0..7)], ""));
        }
        for _ in 0..rng.gen_range(0..=2) {
            if let Some(person) = pick_member(rng, crowd, &[author])
                && !time_saved.iter().any(|(p, _, _)| *p == person)
            {
                time_saved.push((person, [10, 20, 30, 60][rng.gen_range(0..4)], "Reused it for our service."));
            }
        }
    }
    let mut reactions = Vec::new();
    for index in 0..posts.len() {
        if rng.gen_bool(0.45) {
            let reaction = if accepted.is_some_and(|(k, _)| k == index) {
                Reaction::Thanks
            } else {
                *Reaction::ALL.choose(rng).unwrap_or(&Reaction::Agree)
            };
            let people: Vec<PersonId> = (0..rng.gen_range(1..=5))
                .filter_map(|_| pick_member(rng, crowd, &[]))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            reactions.push((index, people, reaction));
        }
    }
    // A few posts get edited later, which leaves a history.
    let edit = (posts.len() > 1 && rng.gen_bool(0.1)).then(|| {
        let index = rng.gen_range(0..posts.len());
        let note = EDIT_NOTES[rng.gen_range(0..EDIT_NOTES.len())];
        (index, format!("{}\n\n{note}", posts[index].body), rng.gen_range(10 * MINUTE..6 * HOUR))
    });
    let edit = edit.filter(|(index, _, after)| posts[*index].at + after < now);
    let pinned = seed.kind == ThreadKind::Announcement && now - started < 120 * DAY;
    Planned {
        thread: BulkThread {
            community: crowd.community,
            kind: seed.kind.as_str(),
            title: seed.title.to_string(),
            author: Some(author),
            tags: seed.tags.iter().map(|t| t.to_string()).collect(),
            pinned,
            locked: seed.kind == ThreadKind::Announcement && now - started > 300 * DAY,
            proposal_status: (seed.kind == ThreadKind::Proposal).then_some("open"),
            posts,
            accepted,
        },
        reactions,
        time_saved,
        edit,
        visibility: crowd.visibility,
    }
}

/// The Rust Guild's long thread: 50 posts over a few weeks.
fn plan_long_thread(rng: &mut StdRng, crowd: &Crowd, fixed: &HashMap<&'static str, PersonId>, now: i64) -> Planned {
    let author = fixed.get("ada").copied().filter(|p| crowd.members.contains(p)).unwrap_or(crowd.members[0]);
    let mut at = now - 40 * DAY;
    let mut posts = vec![BulkPost { author: Some(author), body: LONG_THREAD_OPENING.to_string(), at }];
    let mut last = author;
    for k in 0..49 {
        at += rng.gen_range(30 * MINUTE..16 * HOUR);
        // Every fourth reply answers the ones before it; the rest are stories.
        let body = if k % 4 == 3 {
            LONG_THREAD_FOLLOW_UPS[(k / 4) % LONG_THREAD_FOLLOW_UPS.len()]
        } else {
            LONG_THREAD_STORIES[(k - (k + 1) / 4) % LONG_THREAD_STORIES.len()]
        };
        let by = pick_member(rng, crowd, &[last]).unwrap_or(author);
        last = by;
        posts.push(BulkPost { author: Some(by), body: body.to_string(), at });
    }
    let mut reactions = Vec::new();
    for index in 1..posts.len() {
        if rng.gen_bool(0.5) {
            let mut people: Vec<PersonId> =
                (0..rng.gen_range(1..=6)).filter_map(|_| pick_member(rng, crowd, &[])).collect();
            people.sort();
            people.dedup();
            reactions.push((index, people, *Reaction::ALL.choose(rng).unwrap_or(&Reaction::Insightful)));
        }
    }
    Planned {
        thread: BulkThread {
            community: crowd.community,
            kind: ThreadKind::Discussion.as_str(),
            title: LONG_RUST_THREAD.to_string(),
            author: Some(author),
            tags: vec!["async".into(), "tokio".into(), "production".into()],
            pinned: false,
            locked: false,
            proposal_status: None,
            posts,
            accepted: None,
        },
        reactions,
        time_saved: Vec::new(),
        edit: None,
        visibility: crowd.visibility,
    }
}

// ---------------------------------------------------------------------------
// The scale generator's posts.
// ---------------------------------------------------------------------------

/// Posts per transaction in the scale generator.
const SCALE_BATCH_POSTS: usize = 20_000;

/// Where generated posts go: the communities (most popular first), when each
/// was founded, and the active members of each (indices into `people`).
pub(crate) struct ScaleTarget<'a> {
    pub communities: &'a [CommunityId],
    pub founded: &'a [i64],
    pub members_of: &'a [Vec<u32>],
    pub people: &'a [PersonId],
}

/// Words the generated text is drawn from, most frequent first, with the
/// cumulative Zipf weights to draw them by.
struct Vocabulary {
    words: Vec<String>,
    cdf: Vec<f64>,
}

impl Vocabulary {
    fn new(rng: &mut StdRng, rare: usize) -> Self {
        let mut words: Vec<String> = COMMON_WORDS.iter().chain(TECH_WORDS).map(|w| w.to_string()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        // Rare words: pronounceable made-up names (codenames, internal tools,
        // crate and host names), each unique.
        while words.len() < COMMON_WORDS.len() + TECH_WORDS.len() + rare {
            let syllables = if rng.gen_ratio(1, 5) { 3 } else { 2 };
            let mut word = String::new();
            for _ in 0..syllables {
                word.push_str(ONSETS[rng.gen_range(0..ONSETS.len())]);
                word.push_str(VOWELS[rng.gen_range(0..VOWELS.len())]);
                word.push_str(CODAS[rng.gen_range(0..CODAS.len())]);
            }
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cdf = (0..words.len())
            .map(|rank| {
                // Exponent 1.3: about one word in six comes from the rare tail.
                total += 1.0 / (rank as f64 + 2.7).powf(1.3);
                total
            })
            .collect();
        Self { words, cdf }
    }

    fn draw(&self, rng: &mut StdRng) -> &str {
        let total = self.cdf.last().copied().unwrap_or(1.0);
        let roll = rng.r#gen::<f64>() * total;
        let index = self.cdf.partition_point(|&c| c <= roll).min(self.words.len() - 1);
        &self.words[index]
    }

    fn sentence(&self, rng: &mut StdRng, out: &mut String, words: usize) {
        for k in 0..words {
            let word = self.draw(rng);
            if k == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                if rng.gen_ratio(1, 40) {
                    out.push('`');
                    out.push_str(word);
                    out.push('`');
                    continue;
                }
                out.push_str(word);
            }
        }
        out.push_str(if rng.gen_ratio(1, 6) { "?" } else { "." });
    }

    fn body(&self, rng: &mut StdRng) -> String {
        let mut out = String::with_capacity(240);
        let sentences = 1 + (rng.r#gen::<f64>() * 2.5) as usize + usize::from(rng.gen_ratio(1, 5)) * 2;
        for s in 0..sentences {
            if s > 0 {
                out.push_str(if rng.gen_ratio(1, 4) { "\n\n" } else { " " });
            }
            let words = rng.gen_range(5..=15);
            self.sentence(rng, &mut out, words);
        }
        out
    }

    fn title(&self, rng: &mut StdRng, question: bool) -> String {
        let mut out = String::with_capacity(60);
        let words = rng.gen_range(4..=9);
        self.sentence(rng, &mut out, words);
        out.pop();
        if question {
            out.push('?');
        }
        out
    }
}

/// How many posts the next generated thread has: about 20 on average, a few
/// exactly 50 (the size of the benchmark's thread page), some long.
fn thread_length(rng: &mut StdRng) -> usize {
    if rng.gen_ratio(3, 100) {
        return 50;
    }
    let exponential = -(1.0 - rng.r#gen::<f64>()).ln() * 19.0;
    (1 + exponential.round() as usize).min(150)
}

/// Makes the scale generator's threads, batch by batch, from its own seeded
/// generator and its own copy of the target (so it can run on its own thread
/// while the previous batch is written).
struct PostGenerator {
    rng: StdRng,
    vocabulary: Vocabulary,
    community_cdf: Vec<f64>,
    tag_cdf: Vec<f64>,
    communities: Vec<CommunityId>,
    founded: Vec<i64>,
    members_of: Vec<Vec<u32>>,
    people: Vec<PersonId>,
    now: i64,
    total: u64,
    made: u64,
}

fn zipf(n: usize, exponent: f64) -> Vec<f64> {
    let mut sum = 0.0;
    (0..n)
        .map(|rank| {
            sum += 1.0 / ((rank + 1) as f64).powf(exponent);
            sum
        })
        .collect()
}

fn draw(rng: &mut StdRng, cdf: &[f64]) -> usize {
    let roll = rng.r#gen::<f64>() * cdf.last().copied().unwrap_or(1.0);
    cdf.partition_point(|&c| c <= roll).min(cdf.len().saturating_sub(1))
}

impl PostGenerator {
    fn new(target: &ScaleTarget<'_>, total: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(0x504f_5354_5320_2026);
        let vocabulary = Vocabulary::new(&mut rng, 40_000);
        Self {
            rng,
            vocabulary,
            community_cdf: zipf(target.communities.len(), 0.9),
            tag_cdf: zipf(SCALE_TAGS.len(), 1.0),
            communities: target.communities.to_vec(),
            founded: target.founded.to_vec(),
            members_of: target.members_of.to_vec(),
            people: target.people.to_vec(),
            now: Timestamp::now().millis(),
            total,
            made: 0,
        }
    }

    /// The next batch of about [`SCALE_BATCH_POSTS`] posts, or `None` when
    /// all are made.
    fn next_batch(&mut self) -> Option<(Vec<BulkThread>, u64)> {
        let rng = &mut self.rng;
        let now = self.now;
        let mut batch: Vec<BulkThread> = Vec::new();
        let mut in_batch = 0usize;
        while in_batch < SCALE_BATCH_POSTS && self.made + (in_batch as u64) < self.total {
            let first = self.made == 0 && batch.is_empty();
            let c = if first { 0 } else { draw(rng, &self.community_cdf) };
            let members = &self.members_of[c];
            let left = (self.total - self.made) as usize - in_batch;
            let length = if first { 50 } else { thread_length(rng) }.min(left);
            let kind = match rng.gen_range(0..100) {
                0..=54 => ThreadKind::Discussion,
                55..=89 => ThreadKind::Question,
                90..=94 => ThreadKind::Announcement,
                _ => ThreadKind::Proposal,
            };
            let people = &self.people;
            let person = |rng: &mut StdRng| members.choose(rng).map(|&i| people[i as usize]);
            let author = person(rng);
            // One draw whatever the clock says, so the same seed makes the
            // same threads on every run.
            let oldest = self.founded[c].max(now - 730 * DAY).min(now - DAY);
            let mut at = oldest + ((now - DAY - oldest) as f64 * rng.r#gen::<f64>()) as i64;
            let mut posts = Vec::with_capacity(length);
            for k in 0..length {
                if k > 0 {
                    at = (at + rng.gen_range(5 * MINUTE..DAY)).min(now - MINUTE);
                }
                posts.push(BulkPost {
                    author: if k == 0 { author } else { person(rng) },
                    body: self.vocabulary.body(rng),
                    at,
                });
            }
            let mut tags: Vec<String> = Vec::new();
            for _ in 0..rng.gen_range(0..=3) {
                let tag = SCALE_TAGS[draw(rng, &self.tag_cdf)].to_string();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            let accepted = (kind == ThreadKind::Question && length > 1 && rng.gen_bool(0.4)).then(|| {
                let k = rng.gen_range(1..length);
                (k, (posts[k].at + HOUR).min(now))
            });
            in_batch += posts.len();
            let title = if first {
                LONG_RUST_THREAD.to_string()
            } else {
                self.vocabulary.title(rng, kind == ThreadKind::Question)
            };
            batch.push(BulkThread {
                community: self.communities[c],
                kind: kind.as_str(),
                title,
                author,
                tags,
                pinned: first,
                locked: false,
                proposal_status: (kind == ThreadKind::Proposal).then_some("open"),
                posts,
                accepted,
            });
        }
        self.made += in_batch as u64;
        (!batch.is_empty()).then_some((batch, in_batch as u64))
    }
}

/// Generates `total` posts over the target communities; returns (threads,
/// posts). The first thread, in the most popular community, has exactly 50
/// posts and is pinned, so the load benchmark finds it on the first page.
/// Text is generated on a blocking thread one batch ahead of the writes, so
/// the two overlap on two cores.
pub(crate) async fn scale_posts(
    store: &Store,
    target: &ScaleTarget<'_>,
    total: u64,
    progress: Progress<'_>,
) -> Result<(u64, u64), AppError> {
    if total == 0 || target.communities.is_empty() {
        return Ok((0, 0));
    }
    let mut generator = PostGenerator::new(target, total);
    let (sender, mut batches) = tokio::sync::mpsc::channel(2);
    let making = tokio::task::spawn_blocking(move || {
        while let Some(batch) = generator.next_batch() {
            // The receiver is gone when a write failed; stop quietly.
            if sender.blocking_send(batch).is_err() {
                break;
            }
        }
    });
    let (mut threads_done, mut posts_done) = (0u64, 0u64);
    progress("posts", 0, total);
    while let Some((batch, posts)) = batches.recv().await {
        store.load_threads(&batch, LoadOptions::default()).await?;
        threads_done += batch.len() as u64;
        posts_done += posts;
        progress("posts", posts_done, total);
    }
    making.await.map_err(|e| AppError::Internal(format!("post generator: {e}")))?;
    Ok((threads_done, posts_done))
}

const ONSETS: &[&str] =
    &["b", "br", "c", "d", "dr", "f", "g", "gr", "k", "l", "m", "n", "p", "qu", "r", "s", "st", "t", "tr", "v", "z"];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "ei"];
const CODAS: &[&str] = &["", "", "n", "r", "l", "x", "s", "th", "m", "k"];

#[rustfmt::skip]
const SCALE_TAGS: &[&str] = &[
    "rust", "kubernetes", "testing", "ci", "security", "python", "performance", "react", "typescript", "sql",
    "observability", "async", "postgres", "terraform", "kafka", "onboarding", "api-design", "accessibility", "go",
    "incident", "data", "ml", "helm", "docker", "java", "c++", "c#", ".net", "mobile", "payments", "privacy",
    "architecture", "code-review", "flaky-tests", "on-call", "cost", "caching", "grpc", "graphql", "spark",
];

/// Function words and everyday words, the head of the distribution.
#[rustfmt::skip]
const COMMON_WORDS: &[&str] = &[
    "the", "to", "we", "and", "a", "is", "it", "of", "in", "that", "for", "on", "this", "with", "our", "you", "be",
    "not", "but", "have", "are", "when", "if", "so", "can", "from", "as", "at", "or", "was", "do", "all", "one",
    "which", "there", "they", "what", "just", "would", "about", "out", "now", "also", "still", "then", "after",
    "before", "every", "some", "more", "than", "only", "into", "again", "because", "same", "new", "old", "team",
    "time", "work", "way", "thing", "problem", "idea", "change", "week", "people", "need", "use", "make", "see",
    "try", "think", "found", "fixed", "works", "broke", "looks", "seems", "tried", "moved", "added", "removed",
    "better", "worse", "faster", "slower", "simple", "hard", "easy", "good", "wrong", "right", "first", "last",
    "next", "other", "each", "most", "few", "many", "much", "why", "how", "where", "who", "here", "thanks",
];

/// Everyday technical vocabulary, the body of the distribution.
#[rustfmt::skip]
const TECH_WORDS: &[&str] = &[
    "service", "deploy", "build", "test", "tests", "cluster", "pod", "node", "query", "index", "database", "cache",
    "latency", "throughput", "error", "errors", "panic", "timeout", "retry", "request", "response", "client",
    "server", "config", "release", "version", "dependency", "crate", "module", "function", "thread", "runtime",
    "async", "await", "future", "lock", "mutex", "channel", "queue", "worker", "batch", "job", "pipeline",
    "staging", "production", "rollback", "rollout", "canary", "metrics", "logs", "traces", "dashboard", "alert",
    "incident", "postmortem", "oncall", "schema", "migration", "table", "column", "row", "transaction", "replica",
    "shard", "partition", "topic", "consumer", "producer", "offset", "kafka", "postgres", "sqlite", "redis",
    "kubernetes", "helm", "terraform", "docker", "image", "container", "registry", "ingress", "mesh", "istio",
    "envoy", "grpc", "http", "tls", "certificate", "token", "oauth", "secret", "vault", "permission", "role",
    "policy", "audit", "compliance", "gdpr", "encryption", "hash", "signature", "rust", "tokio", "serde", "cargo",
    "clippy", "python", "pandas", "spark", "notebook", "model", "feature", "training", "inference", "dataset",
    "typescript", "react", "component", "hook", "state", "render", "bundle", "webpack", "vite", "browser", "css",
    "accessibility", "screen", "reader", "contrast", "keyboard", "focus", "mobile", "android", "ios", "swift",
    "kotlin", "flaky", "fixture", "mock", "integration", "unit", "coverage", "benchmark", "profile", "flamegraph",
    "allocation", "memory", "cpu", "disk", "network", "bandwidth", "cost", "budget", "capacity", "autoscaling",
    "quota", "limit", "backoff", "jitter", "idempotent", "consistency", "eventual", "ordering", "snapshot",
    "backup", "restore", "failover", "region", "zone", "outage", "degraded", "healthcheck", "probe", "readiness",
    "liveness", "sidecar", "daemonset", "namespace", "operator", "controller", "reconcile", "webhook", "api",
    "endpoint", "contract", "versioning", "deprecation", "breaking", "semver", "changelog", "review", "reviewer",
    "approval", "merge", "branch", "rebase", "commit", "monorepo", "workspace", "template", "checklist", "runbook",
    "guide", "standard", "decision", "adr", "tradeoff", "architecture", "boundary", "domain", "event", "sourcing",
    "cqrs", "saga", "payment", "refund", "ledger", "invoice", "currency", "fraud", "checkout", "latency-budget",
];

// ---------------------------------------------------------------------------
// The demo's text.
// ---------------------------------------------------------------------------

const EDIT_NOTES: &[&str] = &[
    "**Edit:** fixed the version number above, it is 1.41 not 1.14.",
    "**Edit:** added the link to the runbook we ended up writing.",
    "**Edit:** clarified that this only applies to the EU clusters.",
    "_Update:_ this is now in the team handbook as well.",
    "**Edit:** typo in the config key; it's `max_in_flight`, not `max_inflight`.",
];

/// Marks a written reply as the thread author's own follow-up.
const ASKER_MARK: &str = "^";

/// Replies that name the asker, the replier's team or another member.
const TEMPLATE_REPLIES: &[&str] = &[
    "Thanks {asker}, useful to see this written down.",
    "In {team} we do almost exactly this; the one difference is that we automated the check in CI.",
    "@{other} you looked at something similar recently, didn't you?",
    "@{other} this is the thing we talked about on Tuesday.",
    "Following. {team} has the same question coming up next quarter.",
    "Same here in {team}. Would love to see where this ends up.",
    "Could this go on the agenda of the next session, {asker}?",
    "We ran into this in {team} as well and ended up with the approach above.",
    "A data point from {team}: it took us about a week to roll out, mostly waiting for reviews.",
    "Sharing this with the rest of {team}, thanks.",
    "@{other} FYI, relevant to your migration.",
    "{asker}, one more thing worth checking: whether staging has the same settings as production. Ours didn't.",
    "We wrote a short guide on this in {team}; I'll see if it can go into the practice repository.",
    "Nice one. {team} will try this in the next sprint and report back.",
];

/// What the asker says after an answer worked.
const THANKS_REPLIES: &[&str] = &[
    "Thanks {answerer}, that did it.",
    "That solved it, thank you {answerer}!",
    "Confirmed, works. Marking this as answered.",
    "Perfect, thanks {answerer}. I'll add a note to our team's docs.",
    "Works now. Thanks {answerer} and everyone who chimed in.",
];

/// Replies that fit almost any thread.
const GENERIC_REPLIES: &[&str] = &[
    "Thanks for writing this up, bookmarking it.",
    "+1, we ran into the same thing last quarter. Following.",
    "Could you share the config you ended up with? A gist is fine.",
    "This would make a good entry for the practice repository, if someone has an hour.",
    "We discussed something close to this at the last session; the notes are linked from the events page.",
    "Same experience here. The second time it happened we wrote a checklist, which helped more than anything else.",
    "Happy to pair on this next week if it is still open.",
    "Good question. I don't know the answer, but I would like to.",
];

const SEEDS: &[CommunitySeeds] = &[
    CommunitySeeds {
        slug: "rust-guild",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: UNANSWERED_RUST_QUESTION,
                tags: &["tokio", "observability", "service-template"],
                by: None,
                body: r#"The service template sets up `tracing-subscriber` with our JSON formatter and the OpenTelemetry exporter. I tried adding `console-subscriber` as another layer, but nothing shows up in `tokio-console`:

```rust
let console = console_subscriber::spawn();
tracing_subscriber::registry()
    .with(console)
    .with(json_layer)
    .with(otel_layer)
    .init();
```

I did build with `RUSTFLAGS="--cfg tokio_unstable"`. Has anyone got this working inside the template, or does the console need its own subscriber?"#,
                replies: &[],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "How do we stop two tokio versions ending up in one binary?",
                tags: &["tokio", "cargo", "dependencies"],
                by: None,
                body: r#"`cargo tree -d` shows both tokio 1.38 and 1.43 in the search-indexer build, pulled in by an old internal crate. It compiles, but we saw two runtimes being started in one test and a `there is no reactor running` panic in another.

What is the guild's recommended way to keep versions aligned across our internal crates?"#,
                replies: &[
                    r#"Put tokio (and the other big ones: serde, tracing, hyper) in `[workspace.dependencies]` and have every member use `tokio.workspace = true`. For crates outside the workspace, we run `cargo deny check bans` in CI with `multiple-versions = "deny"` for that list. The template already has a `deny.toml` you can copy."#,
                    r#"And for the old crate itself: bump its tokio requirement to `1` (not `=1.38`) and publish a patch release to the internal registry. An exact pin in a library is almost always a mistake."#,
                    "^That was it: an `=1.38.0` in `nw-config`. Released 0.7.3 with `tokio = \"1\"` and the duplicate is gone. Thanks both!",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Is holding a std Mutex guard across .await ever fine?",
                tags: &["async", "clippy", "concurrency"],
                by: Some("ada"),
                body: r#"A newcomer asked me this in review and I realised I give a different answer every time. Clippy's `await_holding_lock` fires, but the code only ever runs on a current-thread runtime. What do we tell people?"#,
                replies: &[
                    r#"Short version for the style guide: **no**. Even on a current-thread runtime, another task can run while you're suspended and block on the same mutex, and then the whole runtime is stuck, because the task holding the lock can never be polled again.

Either scope the guard so it is dropped before the `.await`, or use `tokio::sync::Mutex` if you really must hold it across."#,
                    "Worth adding: the guard of `std::sync::Mutex` is `!Send`, so on a multi-threaded runtime the compiler usually stops you anyway. The current-thread case is exactly where it slips through.",
                    "Added a section to the style guide with both examples. @ada can you review?",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Rust clinic moves to every other Thursday",
                tags: &["clinic", "events"],
                by: Some("ada"),
                body: "From next month the Rust clinic runs **every other Thursday at 16:00 Berlin time**, so Bangalore can still make it before dinner. Bring a problem, a stack trace or a PR you're stuck on. Recordings go in the practice repository as before.",
                replies: &[
                    "Thank you, the old slot was 21:30 for us.",
                    "Could we get the calendar invite updated too?",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Proposal,
                title: "Proposal: make cargo-deny a required check in the service template",
                tags: &["ci", "security", "service-template"],
                by: None,
                body: r#"Today `cargo deny` runs in the template's CI but failures are only warnings. I propose we make it **required** for:

| check | why |
|---|---|
| `advisories` | RustSec advisories, same as `cargo audit` |
| `bans` | duplicate tokio/hyper/serde versions |
| `licenses` | the allow-list Legal gave us |

Teams can still add exceptions in `deny.toml` with a comment and an expiry date. Objections by Friday, otherwise I'll open the PR."#,
                replies: &[
                    "Strong yes for advisories and licenses. For `bans` I'd start with warnings for a month; some teams have transitive duplicates they can't fix quickly.",
                    "Agree with the phased approach. Can we also pin the cargo-deny version so a new release doesn't break everyone's build on the same morning?",
                    "^Updated the proposal: advisories and licenses required now, bans required from the first of next month, cargo-deny pinned in the CI image.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "thiserror or anyhow for a library crate used by five services?",
                tags: &["error-handling", "api-design"],
                by: None,
                body: "We're extracting the pricing rules into a shared crate. Callers need to tell \"rule not found\" from \"rule invalid\" from I/O failures. I'd use `anyhow` everywhere because it's so convenient, but I suspect that's wrong for a library?",
                replies: &[
                    r#"For a library, `thiserror` with a public enum. Callers match on variants; `anyhow::Error` would make them downcast. Keep `anyhow` for the binaries.

```rust
#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error("no rule for {0}")]
    NotFound(String),
    #[error("rule {id} is invalid: {reason}")]
    Invalid { id: String, reason: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
```"#,
                    "Also mark the enum `#[non_exhaustive]` so adding a variant later is not a breaking change.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Build times: what actually helped on our 300k-line workspace",
                tags: &["build-times", "ci", "cargo"],
                by: None,
                body: r#"We got clean CI builds from 14 to 6 minutes. In order of impact:

1. `sccache` backed by the shared S3 bucket (−4 min)
2. Splitting the proc-macro-heavy API crate so fewer crates depend on it (−2 min)
3. `[profile.dev] debug = "line-tables-only"` (−1 min, and smaller caches)
4. `cargo nextest` instead of `cargo test` (faster test phase, better output)

What didn't help: switching linkers on Linux CI (mold was already in the image)."#,
                replies: &[
                    "Great list. We also found `cargo build --timings` invaluable to see which crate is on the critical path.",
                    "Point 2 is underrated. One proc-macro crate at the root of the graph serializes everything behind it.",
                    "Did you try `-Z threads=8` on nightly for the frontend? We saw another 15% locally.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Graceful shutdown in axum: in-flight requests get cut off",
                tags: &["axum", "tokio", "kubernetes"],
                by: None,
                body: "During rollouts we see a burst of 502s. We call `axum::serve(...).with_graceful_shutdown(signal)`, but Kubernetes still kills requests. What are we missing?",
                replies: &[
                    r#"Two things usually: (1) the pod gets SIGTERM at the same time the endpoint is removed, so new requests still arrive for a second or two. Add a `preStop` sleep of ~5 s. (2) `terminationGracePeriodSeconds` must be longer than your longest request plus that sleep."#,
                    "And make sure your signal future listens for SIGTERM, not just Ctrl-C. `tokio::signal::ctrl_c()` alone does nothing in a container.",
                    "^It was the SIGTERM one, embarrassingly. Added `signal::unix::signal(SignalKind::terminate())` and the preStop hook; zero 502s in the last three deploys.",
                ],
                solved_by: Some(1),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Reviewing unsafe code: a checklist proposal",
                tags: &["unsafe", "code-review"],
                by: None,
                body: r#"We have about 40 `unsafe` blocks across our crates, mostly FFI to the image library and two hand-rolled ring buffers. I'd like every new `unsafe` block to come with:

- a `// SAFETY:` comment naming the invariant
- a test that runs under Miri (where possible)
- a second reviewer from the guild

Too heavy?"#,
                replies: &[
                    "Not too heavy for 40 blocks. The `SAFETY:` comment can be enforced with `clippy::undocumented_unsafe_blocks`.",
                    "Miri doesn't support most FFI, so for the image library we'd need a different rule: maybe a fuzz target instead.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "serde: deserialize a field that is either a string or a list of strings",
                tags: &["serde"],
                by: None,
                body: "The partner API sends `\"tags\": \"a\"` or `\"tags\": [\"a\", \"b\"]`. What's the cleanest way to get a `Vec<String>` either way?",
                replies: &[
                    r#"An untagged enum and a `From`:

```rust
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany { One(String), Many(Vec<String>) }

impl From<OneOrMany> for Vec<String> {
    fn from(v: OneOrMany) -> Self {
        match v { OneOrMany::One(s) => vec![s], OneOrMany::Many(v) => v }
    }
}
```
Then `#[serde(from = "OneOrMany")]` on a newtype, or a small `deserialize_with` function."#,
                    "`serde_with::OneOrMany` does exactly this if you already depend on serde_with.",
                ],
                solved_by: Some(0),
            },
        ],
        quick: &[
            (
                "Recommended way to read config: figment, config-rs or hand-rolled?",
                "The template uses environment variables only; we need a file too.",
                "The copse-style layered approach works well: defaults, then a TOML file, then environment variables, parsed into one typed struct with serde. `figment` does that in a few lines.",
            ),
            (
                "How do we profile allocation in a release build?",
                "Memory grows slowly in the indexer and I'd like to see who allocates.",
                "`heaptrack` works on Linux without code changes; `dhat` as a global allocator if you want it in a test. Both fine with release builds plus debug symbols.",
            ),
            (
                "Why does `cargo build` rebuild everything after switching branches?",
                "Even with no Cargo.lock changes, switching between main and my branch triggers a full rebuild of ~400 crates.",
                "Usually an environment variable or feature set that differs: rust-analyzer building with different features than the CLI, or `RUSTFLAGS` set in one shell only. `CARGO_LOG=cargo::core::compiler::fingerprint=info` tells you why a crate is dirty.",
            ),
            (
                "Best way to share test fixtures across crates in the workspace?",
                "Several crates need the same fake clock and sample orders.",
                "A `testkit` crate in the workspace, used only as a dev-dependency. Feature-gate anything heavy so normal builds never compile it.",
            ),
            (
                "Is `async-trait` still needed?",
                "Now that async fn in traits is stable, can we drop it everywhere?",
                "For traits you use generically, yes. For `dyn Trait` you still need boxing; `async-trait` or a hand-written `Pin<Box<dyn Future>>` return type.",
            ),
            ("How do I make clippy fail CI but not local builds?", "I want `-D warnings` in CI only.", ""),
            (
                "Recommended crate for retries with backoff?",
                "We keep writing the same loop. Is there something the guild likes? Needs jitter and a max elapsed time.",
                "`backon` is what the template uses now: exponential backoff with jitter and a `with_max_times`/`with_total_delay`. Before that we used `tokio-retry`, which is fine but unmaintained.",
            ),
            (
                "Where do internal crates get published now?",
                "The old registry URL returns 404 since the migration. What's the new one, and do I need a new token?",
                "It moved to `https://crates.northwind.example/api/v1/crates`. Update `~/.cargo/config.toml` with the new `[registries.northwind]` index; old tokens still work until the end of the month.",
            ),
        ],
        chatter: &[
            "The service template already does this; worth checking its `main.rs` before rolling your own.",
            "Bring it to the clinic on Thursday, it's easier to look at with the code on screen.",
            "We added a test for exactly this after it bit us in production.",
            "Clippy's pedantic group catches some of this, but it's noisy. We enable the lints one at a time.",
        ],
    },
    CommunitySeeds {
        slug: "kubernetes-platform",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Pods stuck in CrashLoopBackOff after the 1.29 upgrade, only on the arm64 nodes",
                tags: &["upgrades", "arm64", "debugging"],
                by: None,
                body: "Since the cluster upgrade last night, `recommendations-api` crashloops on the Graviton node pool only. Logs just say `exec format error`. The image hasn't changed. Any idea?",
                replies: &[
                    "`exec format error` almost always means an amd64-only image landed on an arm64 node. Check `docker manifest inspect` for your image: does it list `linux/arm64`? Before the upgrade the pool had a taint that kept you off it; the new node template dropped it.",
                    "Confirmed, the taint is missing in the new launch template. We're restoring it now; until then add a nodeSelector `kubernetes.io/arch: amd64` or build multi-arch.",
                    "^Building multi-arch now with `docker buildx`, the taint fix is appreciated in the meantime.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Cluster upgrade window: EU clusters to 1.30 on the 14th",
                tags: &["upgrades", "maintenance"],
                by: None,
                body: r#"We upgrade `eu-prod-1` and `eu-prod-2` to Kubernetes 1.30 on the 14th, 06:00–09:00 UTC, one node pool at a time.

**What you need to do:** make sure your Deployments have a PodDisruptionBudget and at least two replicas. Services without a PDB will see a short outage while their node drains. The list of services without a PDB is on the platform dashboard."#,
                replies: &[
                    "Is the `flowcontrol.apiserver.k8s.io/v1beta2` removal going to affect anything of ours?",
                    "Added PDBs to all checkout services, thanks for the heads-up.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "HPA scales on CPU but our service is I/O bound; what should it scale on?",
                tags: &["autoscaling", "hpa"],
                by: None,
                body: "The notification worker spends most of its time waiting on the mail provider. CPU stays at 15% while the queue grows to 50k messages. How do other teams autoscale workers like this?",
                replies: &[
                    "Scale on queue depth. We run KEDA with the SQS scaler: target 200 messages per replica, min 2, max 40. CPU is the wrong signal for anything that waits.",
                    "If you don't want KEDA, the Prometheus adapter can expose an external metric to a plain HPA, but KEDA is simpler and it's already installed on all clusters.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Proposal,
                title: "Proposal: retire the v1 Helm chart library by end of Q2",
                tags: &["helm", "golden-path"],
                by: None,
                body: "Eleven services still use `nw-chart-v1`, which has no support for topology spread constraints or the new ingress class. Proposal: freeze v1 now, migrate the eleven with help from the platform team, delete it at the end of Q2. The migration guide is in the practice repository.",
                replies: &[
                    "Fine by us if the platform team pairs with each team for the first migration. The values files are different enough that people will get lost.",
                    "Can we get a diff tool? Something that renders both charts and shows what changes in the manifests.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Where do the per-namespace cost numbers on the dashboard come from?",
                tags: &["cost", "finops"],
                by: None,
                body: "Our namespace shows €4,200 last month, which seems high for six pods. Is that requests or actual usage? And are the shared ingress controllers included?",
                replies: &[
                    "Requests, not usage: Kubecost allocates by `max(request, usage)` per container. Six pods requesting 4 CPU each adds up even if they idle. Shared costs (ingress, monitoring) are split by CPU request share and shown as a separate line.",
                    "^Dropped our requests from 4 to 1 CPU after looking at a week of usage. Next month's number should be a quarter of that.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Readiness vs liveness probes: our rules of thumb",
                tags: &["probes", "reliability"],
                by: None,
                body: r#"After two incidents caused by liveness probes restarting healthy-but-busy pods, here is what we now tell teams:

- **Readiness** checks dependencies you need to serve traffic. It can fail; the pod just leaves the load balancer.
- **Liveness** checks only that the process is not wedged. Never call the database from it.
- Give liveness a generous `failureThreshold`; a restart is the most expensive fix there is.

What would you add?"#,
                replies: &[
                    "Use a startupProbe for slow-starting JVM services instead of a long `initialDelaySeconds` on liveness.",
                    "Log probe failures at warn level. We only noticed flapping readiness because the access logs had gaps.",
                    "This should go into the golden path docs verbatim.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "kubectl port-forward drops every few minutes",
                tags: &["kubectl", "debugging"],
                by: None,
                body: "Debugging a Postgres replica through `kubectl port-forward`, and the connection drops every 3–5 minutes with `lost connection to pod`. Is there a setting for this?",
                replies: &[
                    "The API server's streaming idle timeout. Either keep traffic flowing (`psql` with a `\\watch 30` in another tab is a silly but effective trick) or use the bastion and connect to the service directly.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Why was my pod OOMKilled below its memory limit?",
                "The container limit is 2Gi, metrics show 1.6Gi at the kill.",
                "The metric you're looking at is probably working set sampled every 30 s; short spikes don't show. Also check for sidecars: the limit is per container, but the node may evict on pod total under pressure.",
            ),
            (
                "Can we use the Gateway API yet?",
                "Ingress annotations are getting out of hand.",
                "On the new clusters, yes: the Envoy Gateway controller is installed. Old clusters keep ingress-nginx until the migration.",
            ),
            (
                "Why is my ConfigMap change not picked up?",
                "Updated the ConfigMap, pods still see the old values.",
                "Environment variables from a ConfigMap are read at pod start only. Either restart (`kubectl rollout restart`) or mount it as a volume; the template adds a checksum annotation so changes roll the pods automatically.",
            ),
            (
                "Ingress returns 413 for file uploads over 1 MB",
                "Our upload endpoint fails for anything bigger than a megabyte.",
                "nginx ingress defaults `proxy-body-size` to 1m. Set the annotation `nginx.ingress.kubernetes.io/proxy-body-size: 20m` on your Ingress.",
            ),
            (
                "How do I get a shell in a distroless container?",
                "No shell in the image, `kubectl exec` fails.",
                "`kubectl debug -it pod/NAME --image=busybox --target=CONTAINER` starts an ephemeral container sharing the process namespace.",
            ),
            (
                "How long are pod logs kept in Loki?",
                "Need logs from an incident 20 days ago. Are they still there?",
                "14 days hot in Loki, then 90 days in the archive bucket. For 20 days ago you need the archive; there's a `logcli` recipe for it in the platform docs.",
            ),
            (
                "Can a team get its own node pool?",
                "We have GPU inference pods that need isolation. What's the process to request a dedicated pool?",
                "Yes, open a platform request with the instance type, expected count and a taint name. GPU pools need a cost centre; turnaround is about a week.",
            ),
            (
                "Is there a sandbox cluster for trying operators?",
                "I'd like to test the Strimzi operator without touching staging.",
                "`sandbox-1` is reset every Sunday night. Ask in the platform channel for a namespace with cluster-admin on it.",
            ),
        ],
        chatter: &[
            "The platform docs have a page on this under \"Golden path\"; it was updated last month.",
            "Office hours on Monday are a good place for this one.",
            "Double-check the PodDisruptionBudget too, it bites during drains.",
            "We solved it with a small Kustomize overlay per environment instead.",
        ],
    },
    CommunitySeeds {
        slug: "frontend-craft",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "React Testing Library: how do we test a combobox without brittle selectors?",
                tags: &["testing", "react", "accessibility"],
                by: Some("sam"),
                body: "Our address autocomplete tests use `container.querySelector('.dropdown li:nth-child(2)')` and break on every design-system update. What's the guild's preferred way to test comboboxes?",
                replies: &[
                    r#"Query by role, the way a screen-reader user finds it:

```ts
const input = screen.getByRole('combobox', { name: /delivery address/i });
await user.type(input, 'Baker');
await user.click(await screen.findByRole('option', { name: /221b baker street/i }));
expect(input).toHaveValue('221B Baker Street');
```
If `getByRole('option')` can't find anything, the component is probably missing `role="listbox"`, which is an accessibility bug worth fixing anyway."#,
                    "Also use `userEvent.setup()` rather than `fireEvent`; the combobox in the design system listens to `keydown`, which `fireEvent.change` never triggers.",
                    "^Rewrote the four tests with roles; they survived today's design-system bump without changes. Thanks!",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Performance budget for the checkout bundle: 170 KB gzipped?",
                tags: &["performance", "bundle-size"],
                by: None,
                body: "Checkout JS is 243 KB gzipped today; on a mid-range Android over 4G that's ~3.1 s to interactive. I'd like us to agree on a budget enforced in CI with `size-limit`. Is 170 KB realistic?",
                replies: &[
                    "Realistic if we lazy-load the address autocomplete and the payment-method icons. Those two are 48 KB together.",
                    "date-fns locales are another 19 KB; we only use two locales.",
                    "Let's start the CI check at the current size so nothing grows, and ratchet it down by 10 KB a sprint.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "useEffect runs twice in development; is our data fetching broken?",
                tags: &["react", "hooks"],
                by: None,
                body: "Every page makes its API calls twice locally since the React 18 upgrade. Production looks fine. Is this StrictMode and should we worry?",
                replies: &[
                    "It's StrictMode mounting, unmounting and remounting to surface effects without cleanup. It doesn't happen in production. The real fix is to move fetching to React Query (which dedupes) or at least return an abort in the cleanup.",
                    "Don't remove StrictMode to make it go away. It found two real leaks in our search page.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Design system 5.0 is out: migration guide and office hours",
                tags: &["design-system", "release"],
                by: None,
                body: "Version 5.0 removes the deprecated `Button variant=\"link\"` and switches to CSS custom properties for theming. The codemod handles about 90% of call sites: `npx @northwind/ds-codemod v5 src/`. Office hours every Tuesday this month.",
                replies: &[
                    "The codemod missed components re-exported through our barrel files; worth mentioning in the guide.",
                    "Ran it on the account pages, only three manual fixes needed. Nice work.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "TypeScript: typing a fetch wrapper that returns different shapes per endpoint",
                tags: &["typescript", "api"],
                by: Some("sam"),
                body: "We have `apiGet(path)` returning `Promise<any>`. I'd like `apiGet('/orders/123')` to return `Promise<Order>` without writing a function per endpoint. Possible?",
                replies: &[
                    r#"A route map and a generic:

```ts
type Routes = { '/orders/:id': Order; '/customers/:id': Customer };
function apiGet<P extends keyof Routes>(path: P, params: Record<string, string>): Promise<Routes[P]>
```
Or generate the types from the OpenAPI document with `openapi-typescript`, which gives you this for free and stays in sync."#,
                    "+1 for generating from OpenAPI. Hand-written route maps drift within a month.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Show and tell: moving our forms from Formik to react-hook-form",
                tags: &["forms", "react"],
                by: None,
                body: "The returns flow had 14 fields and re-rendered the whole form on every keystroke. After moving to react-hook-form: 60% fewer renders, bundle −9 KB. Slides from Wednesday's session are in the practice repository.",
                replies: &[
                    "How did you handle the async validation of the order number?",
                    "Nice results. Did you keep Yup schemas or move to Zod?",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "How do I debug a hydration mismatch?",
                "React warns about text content not matching on the product page.",
                "Almost always dates or random values rendered differently on server and client. Format dates in a fixed zone on the server, or render them client-side only.",
            ),
            (
                "Preferred date library?",
                "date-fns, Day.js or Temporal polyfill?",
                "date-fns for now (tree-shakable); we'll revisit once Temporal ships in all our supported browsers.",
            ),
            (
                "Jest or Vitest for new projects?",
                "Starting a new app; the handbook doesn't say.",
                "Vitest for anything on Vite; it reuses your Vite config and is noticeably faster. Existing Jest suites don't need migrating.",
            ),
            (
                "How do we handle feature flags in server-rendered pages?",
                "Flags are evaluated client-side and the page flickers.",
                "Evaluate on the server and pass the values down with the initial state; the flag SDK has a bootstrap option for exactly this.",
            ),
            ("CSS modules or Tailwind?", "Two teams disagree; is there a guild position?", ""),
            (
                "Is there a shared ESLint config we should extend?",
                "Setting up a new micro-frontend; I'd rather not copy rules from another repo.",
                "`@northwind/eslint-config`, with a `react` and a `node` entry point. It includes the jsx-a11y rules the accessibility guild asked for.",
            ),
            (
                "Storybook 8 or wait?",
                "Anyone upgraded yet? Our addons list is long.",
                "We upgraded the design system last month. Most addons were fine; the docs addon needed its MDX files migrated (there's a codemod).",
            ),
            (
                "How do we test dark mode screenshots?",
                "Visual regression only covers the light theme right now.",
                "Playwright can emulate it: `page.emulateMedia({ colorScheme: 'dark' })`, then a second screenshot per story. Doubles the snapshot count, so we only do it for the shared components.",
            ),
        ],
        chatter: &[
            "The frontend handbook has a page on this; it may need an update though.",
            "Bring it to show and tell, others would benefit.",
            "We measured it with WebPageTest on the Moto G4 profile; numbers in the doc.",
            "Works for us in the account pages, with the same caveat about SSR.",
        ],
    },
    CommunitySeeds {
        slug: "architects-forum",
        threads: &[
            Seed {
                kind: ThreadKind::Discussion,
                title: "Event-driven or request-driven for the new fulfilment flow?",
                tags: &["events", "integration"],
                by: None,
                body: "Fulfilment needs to react to orders, payment captures and warehouse confirmations. Option A: each service calls the next over HTTP. Option B: everything publishes domain events to Kafka and fulfilment consumes them. The team leans to B but worries about debugging. Thoughts before we write the ADR?",
                replies: &[
                    "B, with two conditions: a schema registry with compatibility checks in CI, and trace context propagated in the message headers so you can follow an order across services.",
                    "Be honest in the ADR about eventual consistency. Customer service will ask why an order shows 'paid' but not 'picking' for 30 seconds.",
                    "Consider the outbox pattern from day one. Dual writes to the database and Kafka will lose events during deploys otherwise.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Do we need an ADR for replacing a library, or only for architecture changes?",
                tags: &["adr", "process"],
                by: None,
                body: "The search team wants to replace Elasticsearch's client with OpenSearch's. Is that ADR-worthy? Our guidance only says 'significant decisions'.",
                replies: &[
                    "Rule of thumb we use: write an ADR if reversing the decision would take more than a sprint or affect another team. A client library swap behind an interface: no. Swapping the search engine itself: yes.",
                    "Agree. Maybe a one-paragraph note in the repo's decisions folder anyway; it costs five minutes and saves an archaeology session next year.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Architecture review slots for Q3 are open",
                tags: &["review"],
                by: None,
                body: "Book a 90-minute slot via the events page. Send the design doc at least three working days before. We review problem statement, alternatives considered, failure modes and cost; we don't approve or block, we advise.",
                replies: &["Could we get a template for the design doc? Every team's looks different."],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Monorepo or not for the new data products?",
                tags: &["monorepo", "repositories"],
                by: None,
                body: "Data Platform is starting eight new data products. One repo with shared CI and tooling, or one repo each like the services? Our build tooling (Bazel) is only in the main monorepo.",
                replies: &[
                    "Monorepo if the products share schemas and release together; separate repos if different teams own them independently. From the description it sounds like the former.",
                    "Whatever you choose, keep the schema definitions in one place with a CI check for breaking changes.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Idempotency keys: where should they be stored?",
                tags: &["api-design", "payments"],
                by: None,
                body: "For the new refunds API we'll accept an `Idempotency-Key` header. Store the keys in the service's own Postgres, or in Redis with a TTL? Payments has both patterns today.",
                replies: &[
                    "Same database and same transaction as the side effect. If the key lives in Redis and the refund in Postgres, a crash between the two writes gives you exactly the duplicate you wanted to avoid.",
                    "Keep them 24–72 h and store the response too, so a retry gets the original answer, not a 409.",
                ],
                solved_by: Some(0),
            },
        ],
        quick: &[
            (
                "When is a shared library better than a shared service?",
                "Two teams want the same pricing rules.",
                "Library if the rules change with the callers' release cadence and need no shared state; service if the rules must be identical everywhere at the same moment or need data neither team owns.",
            ),
            (
                "Sync or async between checkout and inventory reservation?",
                "Checkout needs to know immediately if stock is reserved.",
                "Sync for the reservation itself (the user is waiting), with a short timeout and a fallback to 'reserve later'. Everything downstream of the reservation can be async.",
            ),
            (
                "Template for design docs?",
                "Is there an agreed template for docs sent to the forum?",
                "In the practice repository under templates: problem, constraints, options with trade-offs, decision, failure modes, cost. Two pages is the target.",
            ),
            (
                "How do we version internal gRPC APIs?",
                "Package per major version, or field-level evolution only?",
                "Field-level evolution inside a package, `buf breaking` in CI, and a new package (`v2`) only for truly incompatible changes.",
            ),
            (
                "Where is the current tech radar?",
                "The link in the handbook points to last year's edition.",
                "This year's edition is on the architecture site under /radar/2026. I'll fix the handbook link.",
            ),
        ],
        chatter: &[
            "Worth writing down as an ADR either way, even a short one.",
            "We tried that in Search two years ago; happy to walk you through what went wrong.",
            "I'd want to see the failure modes section before deciding.",
        ],
    },
    CommunitySeeds {
        slug: "qa-test-engineering",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Playwright tests flaky only in CI: timeouts on the login page",
                tags: &["playwright", "flaky-tests", "ci"],
                by: Some("guest"),
                body: "About 1 in 15 CI runs fail with `Timeout 30000ms exceeded waiting for getByRole('button', { name: 'Sign in' })`. Never locally. Traces show the page still loading fonts. Ideas?",
                replies: &[
                    "The CI runners have 2 CPUs and run four workers. Set `workers: 2` in CI and look again. Half our 'flaky' tests were just CPU starvation.",
                    "Also: don't sign in through the UI in every test. Sign in once in a setup project and reuse the `storageState`. Faster and one less place to flake.",
                    "^Workers down to 2 plus storageState: 200 CI runs without the timeout. Thank you!",
                ],
                solved_by: Some(1),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "How much end-to-end testing is enough?",
                tags: &["strategy", "test-pyramid"],
                by: None,
                body: "The checkout team has 420 E2E tests taking 38 minutes. The account team has 12 and relies on contract tests. Both have similar escape rates. Should we write guidance, and what would it say?",
                replies: &[
                    "Guidance I'd support: E2E for the few journeys that make money or lose trust (checkout, sign-in, refunds), contract tests between services, and everything else as fast component tests.",
                    "Track escaped defects per layer for a quarter before writing rules. Our intuition about where bugs come from was wrong last time.",
                    "Whatever we write, include a maximum pipeline duration. Nobody waits 38 minutes for feedback.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Pact or schema snapshots for contract testing between our services?",
                tags: &["contract-testing", "pact"],
                by: None,
                body: "We want consumer-driven contracts between the mobile BFF and four backend services. Pact broker feels heavy; snapshotting the OpenAPI schema in each consumer feels too weak. What did others choose?",
                replies: &[
                    "Pact, with the broker run by the platform team. The `can-i-deploy` check in the pipeline is the part that pays off; schema snapshots can't tell you whether the provider version in production satisfies you.",
                    "If Pact feels heavy, start with the two services that break you most often.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Test strategy circle: next topic is mutation testing",
                tags: &["events", "mutation-testing"],
                by: None,
                body: "Next circle we try `cargo-mutants` and Stryker on real code from two volunteer teams. Bring a module with good coverage numbers; we'll see how many mutants survive.",
                replies: &["Volunteering the pricing library, it has 94% line coverage and I'm curious."],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Test data for staging: anonymised production copy or synthetic?",
                tags: &["test-data", "privacy"],
                by: None,
                body: "Staging data is two years old and half the edge cases are missing. Privacy said no to raw production copies. Is anyone running an anonymisation pipeline, or generating synthetic data?",
                replies: &[
                    "Synthetic for anything with personal data. We generate customers and orders from a few hundred lines of factories; edge cases are added as named scenarios when a bug escapes.",
                    "Ask the privacy community before building an anonymiser. They reviewed ours and found three quasi-identifiers we'd missed.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "How do I run only the tests affected by my change?",
                "Full suite takes 25 minutes locally.",
                "The monorepo tooling has `test --affected` based on the dependency graph. For single services, Jest and Vitest both have `--changed`.",
            ),
            (
                "Accessibility checks in the E2E suite?",
                "Should we run axe in Playwright tests?",
                "Yes, `@axe-core/playwright` on the key pages of each journey. It's cheap and catches regressions early.",
            ),
            (
                "How do I test time-dependent code without sleeping?",
                "Our expiry tests take minutes because they wait for real timeouts.",
                "Inject a clock. Most of our services accept a `Clock` interface; in tests use the fake one and advance it explicitly.",
            ),
            (
                "Where do we keep exploratory testing notes?",
                "Charters and findings from sessions end up in random docs.",
                "We use a page per session in the team space with the charter, timebox and findings, and link bugs from there. The circle has a template.",
            ),
            (
                "Visual regression tool recommendations?",
                "Comparing Chromatic with Playwright's built-in screenshots.",
                "",
            ),
            (
                "Is anyone using testcontainers on the CI runners?",
                "Docker-in-Docker seems to be disabled on the shared runners.",
                "Use the `docker` runner tag; those runners have a Docker socket. The default runners don't, on purpose.",
            ),
            (
                "What's our policy on quarantining flaky tests?",
                "Do we skip them, retry them, or block the merge?",
                "Quarantine (skip with a ticket link) after two flaky failures in a week, and the owning team has ten working days to fix or delete it. Retries hide the problem, so we don't use them.",
            ),
        ],
        chatter: &[
            "Tag it `@flaky` and add it to the weekly flaky-test review, otherwise it'll rot.",
            "We have a small helper for exactly this in the shared test utilities repo.",
            "The trace viewer usually shows what the page was waiting for.",
            "Testing guild notes from March cover this; I'll dig out the link.",
        ],
    },
    CommunitySeeds {
        slug: "data-science-circle",
        threads: &[
            Seed {
                kind: ThreadKind::Announcement,
                title: "Paper reading this month: 'Why Do Tree-Based Models Still Outperform Deep Learning on Tabular Data?'",
                tags: &["paper-reading", "tabular"],
                by: Some("priya"),
                body: "First Tuesday, 15:30 IST. We'll read Grinsztajn et al. (2022) and compare with our own churn model, where gradient boosting still beats the MLP by 3 AUC points. Slides and notebook will be shared afterwards.",
                replies: &[
                    "Looking forward to it. Could we also look at how they tuned the baselines? That's where comparisons usually go wrong.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "How do we detect data drift on the recommendation features?",
                tags: &["mlops", "drift", "monitoring"],
                by: None,
                body: "CTR dropped 8% last week and it took us four days to find that an upstream job changed `price` from euros to cents. What are people using to catch this automatically?",
                replies: &[
                    "Population stability index per feature, computed daily against the training window, alert above 0.2. It would have flagged the price column within a day. Evidently does this out of the box if you don't want to write it.",
                    "Plus schema checks at ingestion: a Great Expectations suite with value ranges would have failed the upstream job itself.",
                    "^We now run both. @priya the PSI notebook is in the repository if the circle wants to review it.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Question,
                title: "pandas to polars: is it worth migrating our feature pipeline?",
                tags: &["python", "polars", "performance"],
                by: None,
                body: "The nightly feature job takes 3 h 40 min in pandas on one machine. A quick polars port of the slowest step went from 52 min to 4 min. Any gotchas before porting the rest?",
                replies: &[
                    "Null handling is different (no NaN-as-null), so compare outputs row by row on a day of data before switching. And use the lazy API; most of the speed comes from the query optimizer.",
                    "Check your UDFs. Anything that falls back to Python per row loses the speed-up.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Sharing notebooks: what's our standard for reproducibility?",
                tags: &["notebooks", "reproducibility"],
                by: Some("priya"),
                body: "Half the notebooks in the shared drive don't run any more. Proposal for a lightweight standard: pinned environment file, data snapshot reference, and a 'Run all' in CI once a week. Too much?",
                replies: &[
                    "Not too much. I'd add: no credentials in notebooks, read them from the environment.",
                    "Weekly CI run could be expensive for notebooks that train models. Maybe a `--smoke` mode with 1% of the data?",
                    "Love this. We can put the template in the practice repository.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Confidence intervals for A/B tests with very skewed revenue",
                tags: &["statistics", "experimentation"],
                by: None,
                body: "Revenue per user in our checkout experiment is extremely skewed (a few B2B orders are 1000× the median). The t-test interval is huge. Bootstrap? Winsorize? What does the experimentation platform do?",
                replies: &[
                    "The platform uses CUPED with pre-experiment revenue as covariate, which cut our variance by ~40%. For the heavy tail, winsorize at the 99.9th percentile and report it; bootstrap is fine for the interval but doesn't reduce variance.",
                    "Also consider splitting B2B out of the metric entirely if they aren't the target of the change.",
                ],
                solved_by: Some(0),
            },
        ],
        quick: &[
            (
                "How should we version datasets?",
                "Models are versioned but the training data isn't.",
                "Snapshot the training set to the lake with a content hash in the path, and record the hash with the model in the registry. DVC if you want tooling around it.",
            ),
            ("SHAP values too slow on our model", "Explaining 100k predictions takes hours.", ""),
            (
                "How do I get read access to the events warehouse?",
                "Need it for an analysis next week.",
                "Request the `analytics-reader` role through the access portal; your manager approves. Personal data columns need an extra justification.",
            ),
            (
                "Recommended way to schedule notebooks?",
                "I have a notebook that needs to run daily.",
                "Don't schedule notebooks. Move the logic into a Python module and schedule it in Airflow; keep the notebook for exploration.",
            ),
            (
                "Anyone using DuckDB for local analysis?",
                "Curious whether it handles our 30 GB parquet exports.",
                "Yes, it handles 30 GB of parquet on a laptop fine as long as you query it in place instead of loading into pandas first.",
            ),
            (
                "GPU quota for experiments?",
                "Is there a shared GPU pool for short experiments, or does every team need its own budget?",
                "There's a shared pool of four A10s for jobs under 8 hours; book through the ML platform form. Longer training needs the team's own budget.",
            ),
            (
                "Feature store: which one are we standardising on?",
                "Heard Feast and the in-house one mentioned in the same meeting.",
                "Feast, on top of the existing Redis and BigQuery. The in-house one is being retired at the end of the year.",
            ),
        ],
        chatter: &[
            "We wrote a notebook for this last quarter, it's in the shared repository.",
            "Worth bringing to paper reading; there's a good paper on exactly this.",
            "Careful with leakage there; we got burned by a feature computed after the label date.",
            "The experimentation platform docs cover this under 'variance reduction'.",
        ],
    },
    CommunitySeeds {
        slug: "sre-practice",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "SLO burn-rate alerts: which windows do you use?",
                tags: &["slo", "alerting"],
                by: None,
                body: "We're replacing 'error rate > 1% for 5 minutes' alerts with burn-rate alerts for a 99.9% SLO. The SRE workbook suggests multiwindow alerts; which window pairs work in practice for us?",
                replies: &[
                    r#"We use the workbook's pair, adapted:

| severity | long window | short window | burn rate |
|---|---|---|---|
| page | 1 h | 5 min | 14.4 |
| page | 6 h | 30 min | 6 |
| ticket | 3 d | 6 h | 1 |

The short window makes the alert reset quickly once the problem is fixed."#,
                    "One gotcha: low-traffic services. At 3 requests per minute, two errors trip the 5-minute window. We add a minimum request count to the expression.",
                    "^Adopted the table as is, plus the minimum count. Paging volume dropped by half in the first week with no missed incident.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Blameless postmortems: how do we stop them turning into action-item lists nobody does?",
                tags: &["postmortems", "incident-review"],
                by: None,
                body: "Of 64 action items from last year's postmortems, 23 were done. The reviews themselves are good; the follow-through isn't. What has worked elsewhere?",
                replies: &[
                    "Fewer actions. We cap them at three per postmortem, each with an owner and a date, and review open ones at the start of every incident review.",
                    "Track them in the team's normal backlog, not in the postmortem doc. Out of sight, out of mind.",
                    "Some actions are really 'learnings'. Label them as such instead of pretending someone will do them.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Runbook format: what makes one usable at 3 a.m.?",
                tags: &["runbooks", "on-call"],
                by: None,
                body: "Our runbooks are long prose pages. During the last incident nobody read past the second paragraph. Is there a template people like?",
                replies: &[
                    "Symptoms first, then a numbered list of checks with the exact commands to copy, then escalation. No background section at the top; put it at the bottom for daytime reading.",
                    "Link every alert to its runbook section directly. If the on-call has to search, you lost.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "On-call handbook v3 published",
                tags: &["on-call", "handbook"],
                by: None,
                body: "The new handbook covers compensation, handover checklists, escalation paths across regions and what 'acknowledge within 5 minutes' really means. It's in the practice repository; please read the handover section before your next shift.",
                replies: &[
                    "The handover checklist is great. Can we get it as a template in the incident tool?",
                    "Thanks for clarifying the cross-region escalation, that confused us for ages.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Is anyone doing chaos experiments in production?",
                tags: &["chaos-engineering", "resilience"],
                by: None,
                body: "We do game days in staging, but staging hides the interesting failures. Has any team run fault injection in production, and how did you get it approved?",
                replies: &[
                    "Payments did, carefully: one availability zone, 5% of traffic, during business hours, with a kill switch and the incident channel open. The approval came from showing the blast radius on one page.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "How many replicas for a service with a 99.9% SLO?",
                "Is two enough?",
                "Two in different zones is the minimum; three if a single pod can't carry the peak alone during a deploy or a zone failure.",
            ),
            (
                "Incident severity definitions?",
                "Teams use SEV2 for very different things.",
                "The on-call handbook v3 has the table: SEV1 customer-facing outage or data loss, SEV2 major degradation, SEV3 minor or internal. Link it in the incident bot.",
            ),
            (
                "How do we silence alerts during a planned migration?",
                "Database migration tonight, expected errors for 10 minutes.",
                "Create a silence in Alertmanager scoped to the service and the time window, and post it in the incident channel so on-call knows.",
            ),
            (
                "Error budget policy: what happens when it's spent?",
                "Our SLO doc says 'freeze', but nobody agreed what that means.",
                "Ours: feature deploys pause, reliability work takes the next sprint, and the freeze lifts when the 30-day budget is positive again. Written down and signed by the product lead.",
            ),
            ("Synthetic monitoring for internal tools?", "Should internal tools have probes too?", ""),
            (
                "Where do we record toil?",
                "Is there a shared place to log toil so we can make the case for automation?",
                "Tag tickets with `toil` in the team's board; the SRE dashboard sums hours per team per month.",
            ),
            (
                "Pager fatigue numbers per team?",
                "Does anyone have pages-per-shift numbers to compare with?",
                "The on-call dashboard has pages per shift by team for the last 90 days. Anything above 2 per night shift is flagged in the monthly review.",
            ),
        ],
        chatter: &[
            "Incident review on Friday would be the right place to go through this.",
            "We added exactly this to our runbook after the last outage.",
            "Grafana has a dashboard template for that; ask in #observability.",
            "Agreed. The SLO should drive it, not the gut feeling of whoever is on call.",
        ],
    },
    CommunitySeeds {
        slug: "agile-coaching-network",
        threads: &[
            Seed {
                kind: ThreadKind::Discussion,
                title: "Retrospective formats that work for remote teams across time zones",
                tags: &["retrospectives", "remote"],
                by: None,
                body: "Two of my teams span Berlin and Bangalore. Live retros at a fair time are hard. Has anyone tried async retros with a board open for two days and a short live session to decide?",
                replies: &[
                    "Yes, works well: board open Monday to Wednesday, 30-minute live session Thursday to pick one or two experiments. Rotate the live session time every sprint so the same people don't always stay late.",
                    "Add a 'what I didn't say' column. People who wouldn't speak live write it down.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "How do you coach a team that sees stand-ups as status reports for the manager?",
                tags: &["stand-ups", "coaching"],
                by: None,
                body: "The manager attends every stand-up and people report to her. Stand-ups take 25 minutes. How have others shifted this without making it about the manager?",
                replies: &[
                    "Walk the board right to left instead of going person by person. The conversation becomes about the work closest to done, and nobody 'reports'.",
                    "Talk to the manager first, privately. Most are happy to skip two stand-ups a week once they get the same information from the board.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Flow metrics instead of velocity: what are you tracking?",
                tags: &["metrics", "flow"],
                by: None,
                body: "Management asked for velocity across teams, which we all know is meaningless. I'd like to offer cycle time, throughput and work item age instead. Anyone already reporting these?",
                replies: &[
                    "We report 85th-percentile cycle time and work item age per team, monthly. The age chart started the most useful conversations.",
                    "Be careful that flow metrics don't become the next thing to game. Show trends per team, never a ranking.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Team health check format?",
                "Looking for something lighter than a survey.",
                "Spotify's squad health check cards work well: ten dimensions, traffic-light votes, trend arrows. Takes 30 minutes once a quarter.",
            ),
            (
                "How long should a sprint review be?",
                "Ours are 90 minutes and half the room is on their phones.",
                "Timebox to 30–45 minutes for a two-week sprint, demo working software only, and invite the people who asked for the work.",
            ),
            (
                "WIP limits for a support team?",
                "Does it make sense when work arrives unpredictably?",
                "Yes, especially then. Limit work in progress per person, and make the queue visible so the team can talk about priorities instead of juggling.",
            ),
            ("Estimation in hours or points?", "New team asking which to use.", ""),
            (
                "Good book for new Scrum Masters?",
                "A colleague moved into the role; what would you give them first?",
                "'Coaching Agile Teams' by Lyssa Adkins, then 'Scrum Mastery' by Geoff Watts. Pair them with a mentor from this network for the first three months.",
            ),
        ],
        chatter: &[
            "We tried that in the payments teams; happy to share what we learned.",
            "The coaching circle on Thursday would be a good place to practice this.",
            "It depends a lot on the team's maturity, but it's worth an experiment.",
        ],
    },
    CommunitySeeds {
        slug: "payments-domain",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Why do partial refunds sometimes show the wrong currency in the ledger?",
                tags: &["refunds", "ledger", "currency"],
                by: Some("sam"),
                body: "A customer in Switzerland got a partial refund that the ledger records in EUR instead of CHF. The original capture was in CHF. Checkout passes the currency from the cart. Where does it go wrong?",
                replies: &[
                    "The refund service falls back to the merchant's settlement currency when the request has no currency field. Partial refunds from the support tool don't send one. We should make currency mandatory and take it from the original capture.",
                    "Fix is merged: the refund now copies currency from the capture, and the API rejects requests without one. Backfill for the 31 affected refunds is running.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Glossary: capture, settlement, payout, disbursement",
                tags: &["glossary", "domain-language"],
                by: None,
                body: "New joiners (and some of us) use these interchangeably. Draft glossary in the practice repository; please correct what's wrong. Especially the difference between payout and disbursement in the marketplace flow.",
                replies: &[
                    "Payout: money to the seller's bank account. Disbursement: internal allocation between our entities. At least that's how Finance uses them.",
                    "Added 'authorization expiry' too, it confused two new joiners this month.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "PSP webhook retries: how long do we need to keep the dedup keys?",
                tags: &["webhooks", "idempotency"],
                by: None,
                body: "Our PSP retries webhooks for up to 72 hours. We store event ids for 24 h. Saw a duplicate capture notification after a long outage. Just extend to 72 h?",
                replies: &[
                    "Extend to at least 7 days; some PSPs replay manually after incidents, outside their documented retry window. The table is tiny anyway.",
                ],
                solved_by: Some(0),
            },
        ],
        quick: &[
            (
                "How do chargebacks reach our systems?",
                "Never seen the flow end to end.",
                "PSP webhook → disputes service → a case in the support tool and a ledger hold. The sequence diagram is in the domain docs.",
            ),
            (
                "Currency rounding rules?",
                "Which rounding mode do we use for currency conversion?",
                "Banker's rounding (half-even) on the minor unit, and always convert once, at capture time, never on display.",
            ),
            (
                "Why are some captures delayed by 24 hours?",
                "A few merchants see captures the day after authorization.",
                "Those merchants are on delayed capture (ship-then-capture). Check the merchant's `capture_mode`; it's visible in the admin tool.",
            ),
            (
                "Where do we log PSP error codes?",
                "Need to analyse decline reasons.",
                "They're in the `payment_attempts` table (`psp_code`, `psp_message`) and in the decline-reasons dashboard. Don't log full card data anywhere, obviously.",
            ),
            (
                "Refund limits per support agent?",
                "Is there a cap on how much an agent can refund without approval?",
                "€500 per refund without approval; above that a team lead approves in the support tool.",
            ),
            (
                "Test cards for 3-D Secure in staging?",
                "Which card numbers trigger the challenge flow in the sandbox?",
                "The PSP sandbox page lists them; `4000 0027 6000 3184` always triggers the challenge. Don't use real cards in staging, ever.",
            ),
        ],
        chatter: &[
            "Finance will want to know about this one; loop them in early.",
            "There's an ADR on exactly this from last year.",
            "We should add it to the domain sync agenda.",
        ],
    },
    CommunitySeeds {
        slug: "security-champions",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Rotating database credentials without downtime",
                tags: &["secrets", "vault", "databases"],
                by: None,
                body: "Audit wants service database passwords rotated every 90 days. Today a rotation means a restart and a short outage. How are other teams doing it with Vault?",
                replies: &[
                    "Vault's database secrets engine with dynamic credentials: each pod gets its own short-lived user, renewed by the agent sidecar. No shared password to rotate at all.",
                    "If dynamic credentials are too big a step, use two static users and alternate: rotate the idle one, switch config, rotate the other.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Threat modelling template: STRIDE per element is too slow",
                tags: &["threat-modelling"],
                by: None,
                body: "Our last threat modelling session took three hours for one service and produced 40 threats nobody prioritised. Proposal: start from the data flow diagram, ask 'what can go wrong at each trust boundary', rank the top five.",
                replies: &[
                    "Agree. The trust boundaries are where almost all our findings came from anyway.",
                    "Keep STRIDE as a prompt list, not a form to fill in.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Dependency scanning is now blocking for critical CVEs",
                tags: &["supply-chain", "ci"],
                by: None,
                body: "From Monday, builds fail on dependencies with a critical CVE that has a fix available. Exceptions go through this community with a written justification and an expiry date of at most 30 days.",
                replies: &[
                    "What about CVEs in dev dependencies that never ship?",
                    "Good move. Can we see the current list of affected repositories?",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Is it OK to log request headers?",
                "For debugging we'd like to log all headers.",
                "Not all: `Authorization`, `Cookie` and API keys must be redacted. The logging library has a deny-list; extend it rather than logging everything.",
            ),
            (
                "MFA for service accounts?",
                "Auditors ask about MFA on accounts used by CI.",
                "Service accounts can't do MFA; use workload identity (OIDC) instead of passwords, and document that as the compensating control.",
            ),
            (
                "Secrets in CI: env vars or the secrets store?",
                "Our pipeline has credentials in project variables.",
                "Use OIDC federation from CI to the cloud and Vault where possible, so there's no long-lived secret at all. Project variables are the fallback, masked and protected.",
            ),
            (
                "How do we review a new open-source dependency?",
                "Is there a checklist?",
                "Check maintenance (recent releases, more than one maintainer), licence, known advisories, and what it pulls in. The checklist is in the practice repository.",
            ),
            ("SAST findings: who triages them?", "Hundreds of findings after enabling the scanner.", ""),
            (
                "Where do we report a suspected phishing mail?",
                "Is it still the security mailbox or the new form?",
                "Use the 'Report phishing' button in the mail client; it goes straight to the security on-call. The old mailbox still works but is slower.",
            ),
        ],
        chatter: &[
            "Please don't paste the secret here, even redacted; DM the security on-call.",
            "This should go into the secure coding checklist.",
            "The threat modelling session next month could use this as an example.",
        ],
    },
    CommunitySeeds {
        slug: "accessibility-guild",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Do we need aria-live for the cart count badge?",
                tags: &["aria", "screen-readers"],
                by: None,
                body: "When you add an item, the cart badge changes from 2 to 3. Sighted users see it; screen-reader users get nothing. Is `aria-live=\"polite\"` on the badge the right fix?",
                replies: &[
                    "Put the live region on a visually hidden status message ('Added to cart. 3 items in cart.') rather than on the badge itself. Announcing a bare '3' is confusing out of context.",
                    "And make sure the live region exists in the DOM before the change; inserting it together with the text is often not announced.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Automated checks catch about a third of our issues; what else do we do?",
                tags: &["testing", "axe"],
                by: None,
                body: "axe in CI is great, but our last audit found 31 issues and axe would have caught 11. Keyboard traps, focus order and unclear link text were the rest. How do teams fit manual checks in?",
                replies: &[
                    "A five-minute keyboard-only pass in every PR that changes UI. It's in our PR template as a checkbox.",
                    "Screen-reader smoke tests before each release with NVDA and VoiceOver, rotated among the team so everybody learns.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Focus management after closing a modal?",
                "Where should focus go?",
                "Back to the element that opened it. If that element is gone, to a sensible heading or container of the updated content.",
            ),
            (
                "Is a skip link still needed with proper landmarks?",
                "Screen readers can jump by landmark already.",
                "Yes: keyboard users without a screen reader can't jump by landmark. Keep the skip link, make it visible on focus.",
            ),
            (
                "Accessible charts?",
                "Our dashboards are all canvas charts.",
                "Provide the data as a table (visually hidden or behind a toggle) and a text summary of the trend. Canvas alone is invisible to screen readers.",
            ),
            (
                "Minimum contrast for disabled buttons?",
                "WCAG exempts disabled controls, but should we still aim for 3:1?",
                "Not required by WCAG, but we aim for 3:1 anyway so people can tell there is a control at all.",
            ),
            (
                "Alt text for decorative product images?",
                "Empty alt or describe them anyway?",
                "Empty `alt=\"\"` if the image repeats what the text says. Product photos that show colour or shape usually aren't decorative, though.",
            ),
        ],
        chatter: &[
            "WCAG 2.2 changed this slightly; check the focus-appearance criterion.",
            "The design system team is working on it; worth raising in their channel too.",
            "Try it with VoiceOver on iOS, it behaves differently from NVDA here.",
        ],
    },
    CommunitySeeds {
        slug: "performance-guild",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "p99 latency doubled after moving to the new JVM version",
                tags: &["jvm", "gc", "latency"],
                by: None,
                body: "After upgrading the catalogue service from Java 17 to 21, p50 is unchanged but p99 went from 80 ms to 170 ms. GC logs show longer young-generation pauses. Heap settings are the same.",
                replies: &[
                    "The default GC ergonomics changed with the container CPU detection: you're probably on 2 GC threads now. Set `-XX:ParallelGCThreads` explicitly or try ZGC (generational in 21), which made our tail latency flat.",
                    "Check the container CPU limit too. A limit of 1.5 CPUs rounds down to 1 for the JVM's sizing.",
                    "^Generational ZGC it is: p99 back at 75 ms and a bit more memory used. Thanks!",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Load testing in CI: k6 smoke tests on every merge?",
                tags: &["load-testing", "k6", "ci"],
                by: None,
                body: "Proposal: a 60-second k6 smoke test against an ephemeral environment on every merge to main, failing if p95 regresses more than 20% against the last 10 runs. Is the noise manageable?",
                replies: &[
                    "Noise is the whole problem. We needed dedicated runners; on shared runners the variance was ±35%.",
                    "Compare against a baseline run in the same job (old build, new build, same runner) instead of history.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Connection pool size for Postgres?",
                "Our service has 20 pods with 50 connections each.",
                "That's 1,000 connections for a server that performs best below ~100 active ones. Use PgBouncer in transaction mode and a pool of 5–10 per pod.",
            ),
            (
                "Is HTTP/3 worth enabling on the CDN?",
                "Marketing pages are mostly mobile traffic.",
                "We enabled it for the marketing site: a small win on p75 LCP for mobile (about 5%), none on desktop. Cheap to turn on.",
            ),
            (
                "How do I find N+1 queries in a Rails service?",
                "The orders page makes hundreds of queries.",
                "The `bullet` gem in development flags them; in production, look at query counts per request in the APM traces.",
            ),
            (
                "Flamegraphs for Node services?",
                "What's the easiest way to get a CPU flamegraph from a running Node pod?",
                "`0x` locally, or in the pod: `node --cpu-prof` and load the `.cpuprofile` in Chrome DevTools. The performance guide has the kubectl commands.",
            ),
        ],
        chatter: &[
            "Measure first; we were sure it was the database and it was JSON serialization.",
            "The profiling guide in the practice repository covers this.",
            "Try it with a realistic data set; the small fixture hides the problem.",
        ],
    },
    CommunitySeeds {
        slug: "green-software",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "How do we estimate the carbon footprint of a service?",
                tags: &["carbon", "measurement"],
                by: Some("priya"),
                body: "I'd like a rough number for the feature pipeline: kg CO2e per month. We know instance hours and the region. Is there an agreed method?",
                replies: &[
                    "The Green Software Foundation's SCI spec is a good start: energy (from instance type and utilization) × grid intensity of the region + embodied emissions. The cloud provider's carbon dashboard gives a monthly number per account, but not per service.",
                    "For a rough number, Cloud Carbon Footprint works from the billing export and can split by tag. That's what we used for the annual report.",
                ],
                solved_by: Some(1),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Scheduling batch jobs when the grid is greener",
                tags: &["batch", "scheduling"],
                by: None,
                body: "Our nightly jobs run at 02:00 UTC wherever they are. Grid intensity in eu-west varies 3× across a day. Has anyone tried carbon-aware scheduling for jobs with flexible deadlines?",
                replies: &[
                    "We shifted the weekly reindex by six hours based on the forecast API; it's a 20-line change in the scheduler.",
                    "Worth combining with spot pricing; greener hours are often cheaper too.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Which metric should we report first?",
                "Management wants one number for the sustainability report.",
                "Start with total cloud emissions per month from the provider dashboard, then add per-team numbers once tagging is reliable.",
            ),
            (
                "Do smaller container images save energy?",
                "Is it worth slimming our images for sustainability reasons?",
                "A bit: less storage and transfer, faster starts. The bigger wins are right-sizing requests and switching off idle environments.",
            ),
            ("Region choice and carbon intensity?", "We're picking a region for a new service.", ""),
            (
                "Are there idle dev environments we could switch off at night?",
                "Curious how much of our staging spend is idle time.",
                "The platform team's report says about 60% of staging hours are idle. The scale-to-zero schedule for preview environments cut that spend by half.",
            ),
        ],
        chatter: &[
            "The cost dashboard is a decent proxy for energy in a first pass.",
            "Let's put this on the next meetup agenda.",
            "Nice. Would you write it up for the practice repository?",
        ],
    },
    CommunitySeeds {
        slug: "staff-engineers",
        threads: &[
            Seed {
                kind: ThreadKind::Discussion,
                title: "How do you split time between your team and cross-team work?",
                tags: &["role", "time"],
                by: Some("ada"),
                body: "I've been at roughly 40% Platform team, 60% cross-team (guild, reviews, design docs) and my team is starting to feel it. What splits do others have, and how did you agree them with your manager?",
                replies: &[
                    "50/50 written into my goals, reviewed every quarter. The written part matters more than the number.",
                    "I block two days a week for my team. Cross-team requests go to the other three.",
                    "I stopped attending meetings where I'm 'just in case'. That freed about a day.",
                ],
                solved_by: None,
            },
            Seed {
                kind: ThreadKind::Question,
                title: "Writing a technical strategy nobody reads: tips?",
                tags: &["strategy", "writing"],
                by: None,
                body: "My 14-page strategy doc got two comments. What format gets engineers and managers to actually engage?",
                replies: &[
                    "One page: diagnosis, guiding policy, three coherent actions (Rumelt). Link the detail. Then present it at the teams' own meetings rather than waiting for comments.",
                    "Ask specific people for specific feedback: 'does section 2 match what you see in Search?' gets answers; 'comments welcome' doesn't.",
                ],
                solved_by: Some(0),
            },
        ],
        quick: &[
            ("How do you say no to a VP's pet project?", "Asking for a friend.", ""),
            (
                "How do you keep up with code while doing mostly design work?",
                "I review a lot but rarely ship anymore.",
                "I take one small ticket per sprint from my team's backlog, usually something on the critical path. It keeps my context real.",
            ),
            ("Sponsorship vs mentoring: how do you do both?", "Looking for practical examples.", ""),
        ],
        chatter: &[
            "That matches my experience in Identity.",
            "Worth a session at the next staff circle.",
            "I'd love to read the doc once it's ready.",
        ],
    },
    CommunitySeeds {
        slug: "mobile-guild",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Crash-free rate dropped after the Kotlin 2.0 migration",
                tags: &["android", "kotlin", "crashes"],
                by: None,
                body: "Crash-free sessions went from 99.7% to 99.1% on Android after the Kotlin 2.0 upgrade. The top crash is a `ClassCastException` in code generated by our serialization plugin. Anyone seen this?",
                replies: &[
                    "Yes: the old serialization plugin version isn't compatible with the K2 compiler. Bump `kotlinx-serialization` to the version matching your Kotlin release; the crash went away for us.",
                    "Also add an R8 keep rule check to CI; one of our crashes was a missing rule that only showed up in release builds.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Discussion,
                title: "Feature flags in mobile apps: remote config or our flag service?",
                tags: &["feature-flags", "release"],
                by: None,
                body: "Web uses the in-house flag service; the apps use Firebase Remote Config. Having two systems means flags get out of sync during launches. Should mobile move to the flag service?",
                replies: &[
                    "The flag service's SDK doesn't cache offline yet; that's the blocker for us.",
                    "Agree we should converge. Maybe a thin wrapper in the app so the backend can change later.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Snapshot testing on Android?",
                "Paparazzi or Roborazzi?",
                "Paparazzi for pure Compose components (no emulator needed), Roborazzi when you need Robolectric and real view interactions.",
            ),
            (
                "How long does App Store review take these days?",
                "Planning a release around a marketing date.",
                "Typically under 24 hours for updates, but plan for 48 and use phased release. Expedited review exists for real emergencies.",
            ),
            (
                "Shared networking layer between iOS and Android?",
                "Has anyone tried Kotlin Multiplatform for it?",
                "The Wallet team did: shared networking and models, native UI. They're happy, but the iOS build setup took a sprint.",
            ),
            (
                "Minimum iOS version for next year?",
                "Can we drop iOS 15? About 3% of sessions.",
                "Product agreed to drop iOS 15 with the spring release. We'll show an upgrade notice one release before.",
            ),
        ],
        chatter: &[
            "Check the release notes of the plugin; this changed recently.",
            "We had the same on iOS after the Xcode upgrade.",
            "Let's add it to the release checklist.",
        ],
    },
    CommunitySeeds {
        slug: "privacy-compliance",
        threads: &[
            Seed {
                kind: ThreadKind::Question,
                title: "Is a hashed email address personal data?",
                tags: &["gdpr", "pseudonymisation"],
                by: Some("priya"),
                body: "The marketing analytics pipeline stores SHA-256 of email addresses to join with the ad platform. The team argues it's anonymous. Is it?",
                replies: &[
                    "No: a hash of an email is pseudonymised, not anonymous, because anyone with the email can recompute it. It stays personal data under GDPR, with all the obligations (purpose, retention, deletion requests).",
                    "And unsalted SHA-256 of emails is trivially reversible with a list of known addresses. If you must keep it, use a keyed hash and restrict who has the key.",
                ],
                solved_by: Some(0),
            },
            Seed {
                kind: ThreadKind::Announcement,
                title: "Retention schedule updated: support tickets now kept 24 months",
                tags: &["retention"],
                by: None,
                body: "Legal approved the new retention schedule. Support tickets: 24 months (was 36). Application logs with IPs: 30 days. Please check your services against the table in the practice repository by the end of the quarter.",
                replies: &[
                    "Does the 30 days apply to access logs in the CDN too?",
                    "Updated the log pipeline TTLs for our team, thanks for the clear table.",
                ],
                solved_by: None,
            },
        ],
        quick: &[
            (
                "Cookie banner for the internal tools?",
                "Do internal tools need consent banners?",
                "Only for non-essential cookies. Internal tools with session cookies only need none; analytics on internal tools needs the employee notice instead.",
            ),
            (
                "Pseudonymised IDs in analytics?",
                "Can product analytics use the customer id directly?",
                "Use the analytics id (a keyed hash) instead; the mapping key stays with the data platform.",
            ),
            (
                "How fast must we answer a data subject access request?",
                "A customer asked for all their data.",
                "One month from receipt, extendable by two more for complex requests if we tell them within the first month. The DSAR runbook lists which systems to query.",
            ),
            (
                "Can we use production data in a demo?",
                "Sales wants a realistic demo for a customer.",
                "No. Use the synthetic data set; the QA community maintains one that looks realistic.",
            ),
            (
                "Who signs off a new data processing agreement?",
                "We're onboarding a new analytics vendor next month.",
                "Legal signs, after the DPO reviews the DPIA. Start with the vendor questionnaire in the privacy portal; it takes about three weeks.",
            ),
        ],
        chatter: &[
            "The DPIA template covers this; happy to walk through it.",
            "Loop in the DPO early, it saves weeks later.",
            "Good catch. Let's add it to the review checklist.",
        ],
    },
];

const LONG_THREAD_OPENING: &str = r#"We have run async Rust services in production for two years now, and the guild keeps rediscovering the same traps. Let's collect them in one place: **one trap per reply**, what it looked like in production, and what fixed it. I'll turn the best ones into a page for the style guide.

I'll start: a `std::sync::Mutex` held across an `.await` in the session cache. It worked for months and deadlocked the first time traffic doubled."#;

const LONG_THREAD_STORIES: &[&str] = &[
    "Blocking DNS resolution inside an async handler. `std::net::ToSocketAddrs` blocks the worker thread; under load all eight workers sat in `getaddrinfo`. Fix: `tokio::net::lookup_host`, or resolve once at start-up.",
    "`tokio::spawn` without keeping the `JoinHandle`: a task panicked and nobody noticed for a week because the panic only went to stderr of a detached task. We now wrap spawns in a helper that logs panics and counts them in a metric.",
    "A `select!` loop where one branch was `sleep(Duration::from_secs(30))` created fresh on every iteration, so the timer never fired when the other branch was busy. Create the sleep once outside the loop and pin it.",
    "Unbounded channels. Our ingest worker used `mpsc::unbounded_channel` and the consumer fell behind during a Kafka rebalance: 11 GB of RSS and an OOM kill. Bounded channel plus backpressure fixed it.",
    "Calling `block_on` inside a runtime to 'just quickly' run an async function from sync code. Panics with 'Cannot start a runtime from within a runtime', but only on the code path that is hit once a month.",
    "`reqwest::Client` created per request. Every request did a fresh TLS handshake and we ran out of ephemeral ports. One client per service, cloned where needed.",
    "Cancellation safety. We used `tokio::io::AsyncReadExt::read_exact` inside `select!` and lost bytes when the other branch won. The docs list which methods are cancellation safe; `read_exact` is not.",
    "CPU-heavy JSON parsing of 20 MB payloads on the runtime threads. p99 latency of unrelated endpoints went through the roof. `spawn_blocking` for anything over a megabyte.",
    "A `Drop` impl that did async work by spawning a task. At shutdown the runtime was already gone, so the cleanup silently never ran. We moved cleanup to an explicit `close().await`.",
    "Holding a `tokio::sync::RwLock` read guard while calling into code that wanted the write lock. Same-task deadlock, no compiler help. Code review caught the second instance.",
    "Timeouts only on the outer request, not on the connection pool acquire. When the database stalled, requests waited 30 s for a connection before even starting their own timer.",
    "`futures::join_all` on 10,000 futures. It polls all of them on every wake-up: quadratic. `FuturesUnordered` or `buffer_unordered(64)` instead.",
    "Tracing spans entered with `span.enter()` across an `.await`. The span leaked into whatever ran next on that thread and our traces made no sense. Use `.instrument(span)`.",
    "Retrying on every error, including 400s, with no jitter. A bad deploy of one client produced a retry storm that took down the downstream service.",
    "The default `hyper` connection pool keeps idle connections forever; the load balancer closed them after 350 s and the first request after a quiet period always failed. Set `pool_idle_timeout` below the LB's.",
    "Forgetting that `tokio::time::interval` bursts to catch up after a stall by default. Our metrics flusher sent 40 batches in a second after a GC pause on the collector side. `MissedTickBehavior::Delay` fixed it.",
    "A sync `log` call to a file appender without a buffer. Slow disk, slow everything. Non-blocking writer from `tracing-appender`.",
    "Spawning a task per Kafka message with no limit. A backlog of 2 million messages became 2 million tasks. A semaphore with 256 permits now.",
    "`async fn` in a trait before it was stable, via `async-trait`, boxed every call. Fine for most code, but it showed up at 8% in the flamegraph of our hottest path.",
    "Panics in a task holding a `std::sync::Mutex` poison it, and every later `lock().unwrap()` panics too. One bad request took down the whole cache until restart. `parking_lot` does not poison; or handle `PoisonError` deliberately.",
    "Using `Instant::now()` deltas in tests with `tokio::time::pause()` and wondering why nothing advanced. Use `tokio::time::Instant` inside paused tests.",
    "The database driver's default statement cache grew without bound because we built queries with string formatting. Parameterised queries, and the cache stayed at 40 entries.",
    "Graceful shutdown that waited for all tasks, including one that was waiting on a channel whose sender lived in main. Shutdown hung until Kubernetes sent SIGKILL.",
    "We used `tokio::fs` for a hot path reading small files. It's `spawn_blocking` under the hood, so every read was a thread hop. For small files a plain `std::fs::read` in `spawn_blocking` once per batch was faster.",
    "A `Stream` implementation that returned `Poll::Pending` without registering a waker. It worked in tests because something else woke the task; in production it hung forever.",
    "Setting `worker_threads` to the number of host CPUs inside a container limited to 2 CPUs: 64 workers fighting over 2 cores. Read the cgroup limit, or leave the default (tokio does now).",
    "`Arc<Mutex<HashMap>>` as a cache with 200 concurrent tasks: contention was the bottleneck, not the database. Sharded map (`dashmap`) and the p99 dropped by half.",
    "Long-running `while let Some(x) = rx.recv().await` loops that never yield when messages are always available starve other tasks on a current-thread runtime. `tokio::task::yield_now()` every N items.",
    "HTTP/2 with a single connection to the upstream: one slow stream's flow control window held up everything else. More connections in the pool, smaller per-stream windows.",
    "Error types that captured a `Backtrace` on every construction. We constructed errors on a hot 'not found' path; backtraces cost more than the lookup.",
    "We forgot `#[tokio::main(flavor = \"current_thread\")]` in a CLI and got a multi-threaded runtime with 16 threads for a tool that does one HTTP call. Harmless, but startup took 40 ms longer.",
    "`Box<dyn Error>` (not `Send`) returned from a function we later wanted to spawn. The compiler error points three layers away from the real cause. `Box<dyn Error + Send + Sync>` from the start.",
    "Dropping a `JoinHandle` does not cancel the task. We thought it did and leaked a background poller per request for a month. `abort()` it, or use a `JoinSet`.",
    "Sending large structs through channels by value: 4 KB memcpy per message at 200k messages per second. Boxing them halved the CPU time of the pipeline.",
    "A health endpoint that took the same lock as the main request path. Under load health checks timed out, Kubernetes restarted the pods, and the load moved to fewer pods. Classic death spiral.",
    "Tests that used `#[tokio::test]` with the default current-thread flavor and passed, while production's multi-threaded runtime exposed a `Send` race in an `unsafe impl`. We now run the integration tests with `flavor = \"multi_thread\"` too.",
    "Not setting `TCP_NODELAY` on a custom protocol with small writes: 40 ms Nagle delays on every request-response pair.",
];

const LONG_THREAD_FOLLOW_UPS: &[&str] = &[
    "The unbounded channel one is so common. Should the style guide simply ban `unbounded_channel` outside tests?",
    "+1 on `.instrument(span)`. @ada can we make `clippy::let_underscore_future` and friends part of the template's lints as well?",
    "I'm collecting these into a draft page; will share at the clinic.",
    "The Kubernetes restart spiral from health checks is worth a separate guide. It is not only a Rust problem.",
    "Great thread. A lot of these would have been caught by `tokio-console` if we could get it running in the template (see the open question about that).",
    "Cancellation safety deserves a whole session. Could we do one at the next clinic?",
    "For the record, the `JoinSet` API made a few of these much easier for us.",
    "Reading this makes me want to audit our ingest service this week.",
    "Suggestion for the page: group these by symptom (hangs, memory growth, latency spikes) rather than by cause. That's how people arrive at them.",
    "I added three of these to our team's review checklist already.",
    "The draft page is up in the practice repository. Comments welcome before we call it published.",
    "Thanks all, this is the most useful thread we've had. Keep them coming.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppConfig;
    use copse_store::ThreadFilter;
    use copse_testkit::TestDb;

    fn quiet(_: &str, _: u64, _: u64) {}

    #[tokio::test]
    async fn the_demo_has_a_believable_year_of_discussions() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.unwrap();
        let summary = crate::demo::load_demo(&app, &quiet).await.unwrap();
        assert!((150..=300).contains(&summary.threads), "{summary:?}");
        assert!((1_000..=2_000).contains(&summary.posts), "{summary:?}");
        let store = app.store();
        let rust = store.find_community_for_viewer("rust-guild", None).await.unwrap().unwrap();
        let rust = CommunityId(rust.community.id);
        let all = store.list_threads(rust, &ThreadFilter::default(), 100, 0).await.unwrap();
        let long = all.iter().find(|t| t.title == LONG_RUST_THREAD).expect("the long thread");
        assert_eq!(long.reply_count, 49);
        let unanswered = ThreadFilter { unanswered: true, ..Default::default() };
        let waiting = store.list_threads(rust, &unanswered, 100, 0).await.unwrap();
        assert!(waiting.iter().any(|t| t.title == UNANSWERED_RUST_QUESTION), "the known question waits");
        assert!(all.iter().filter(|t| t.accepted_post_id.is_some()).count() >= 5);
        assert!(all.iter().any(|t| t.kind == "proposal") && all.iter().any(|t| t.kind == "announcement"));
        // The private community has its own discussions.
        let secret = store.find_community_for_viewer("security-champions", None).await.unwrap().unwrap();
        let secret = CommunityId(secret.community.id);
        assert!(!store.list_threads(secret, &ThreadFilter::default(), 10, 0).await.unwrap().is_empty());
        let thread = store.find_thread_for_viewer(all[0].id, None).await.unwrap().unwrap();
        assert!(thread.thread.reply_count >= 1);
    }

    #[tokio::test]
    async fn scale_posts_are_exact_deterministic_and_start_with_a_pinned_long_thread() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.unwrap();
        let summary = crate::demo::generate_scale_with_posts(&app, 60, 1_234, &quiet).await.unwrap();
        assert_eq!(summary.posts, 1_234);
        let store = app.store();
        let first = store.find_thread_for_viewer(1, None).await.unwrap().unwrap();
        assert_eq!((first.thread.reply_count, first.thread.pinned), (49, 1));
        let posts = store.list_thread_posts(1, false, 100, 0).await.unwrap();
        assert_eq!(posts.len(), 50);

        // The same seed gives the same text, whatever the clock says.
        let target = ScaleTarget {
            communities: &[CommunityId(1), CommunityId(2)],
            founded: &[0, 0],
            members_of: &[vec![0, 1], vec![1]],
            people: &[PersonId(1), PersonId(2)],
        };
        let mut one = PostGenerator::new(&target, 500);
        let mut two = PostGenerator::new(&target, 500);
        two.now += 7 * DAY;
        let (a, n) = one.next_batch().unwrap();
        let (b, _) = two.next_batch().unwrap();
        assert_eq!(n, 500);
        let texts = |batch: &[BulkThread]| batch.iter().map(|t| (t.title.clone(), t.posts.len())).collect::<Vec<_>>();
        assert_eq!(texts(&a), texts(&b));
        assert_eq!(a[3].posts[1].body, b[3].posts[1].body);
        assert!(one.next_batch().is_none());
    }
}
