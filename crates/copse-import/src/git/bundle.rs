//! Git bundle files (`git bundle create`): the text header parsed here, the
//! pack that follows indexed into a temporary directory with gix-pack, so
//! objects are read from disk like any packed repository's (memory stays
//! bounded by the commit being read, not by the bundle's size).
//!
//! Format (git's `Documentation/gitformat-bundle.txt`):
//!
//! ```text
//! # v2 git bundle            (or "# v3 git bundle", then "@capability[=value]" lines)
//! -<oid> <comment>           prerequisites (a thin, incremental bundle)
//! <oid> <refname>            references
//!                            a blank line
//! PACK...                    the packfile
//! ```

use crate::{ImportError, Position};
use gix::ObjectId;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::AtomicBool;

const SIGNATURE_V2: &[u8] = b"# v2 git bundle";
const SIGNATURE_V3: &[u8] = b"# v3 git bundle";

/// Whether `path` starts like a bundle: its first line is a bundle signature.
/// Only the first bytes are read.
pub fn looks_like_bundle(path: &Path) -> std::io::Result<bool> {
    let mut start = [0u8; SIGNATURE_V2.len() + 1];
    let mut file = File::open(path)?;
    let mut filled = 0;
    while filled < start.len() {
        let read = file.read(&mut start[filled..])?;
        if read == 0 {
            break;
        }
        filled += read;
    }
    let start = &start[..filled];
    Ok([SIGNATURE_V2, SIGNATURE_V3].iter().any(|signature| {
        start.starts_with(signature) && matches!(start.get(signature.len()), Some(b'\n') | Some(b'\r'))
    }))
}

/// A bundle whose pack has been indexed: the objects, the refs it names and
/// the temporary directory holding them (removed on drop).
pub struct IndexedBundle {
    pub refs: Vec<(String, ObjectId)>,
    pub objects: gix::odb::Handle,
    /// Kept so the directory lives as long as `objects`; removed on drop.
    _directory: tempfile::TempDir,
}

/// Reads the header of the bundle at `path`, then indexes its pack into a
/// fresh temporary directory. `max_line_bytes` caps a header line;
/// `max_object_bytes` caps one object while the pack is resolved.
pub fn index(path: &Path, max_line_bytes: usize, max_object_bytes: usize) -> Result<IndexedBundle, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::io(path, &e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let header = read_header(path, &mut reader, max_line_bytes)?;

    // The pack must follow the blank line directly.
    let starts_with_pack = reader.fill_buf().map_err(|e| ImportError::io(path, &e))?.starts_with(b"PACK");
    if !starts_with_pack {
        return Err(ImportError::at(
            path,
            Position::Byte(header.pack_offset),
            "no pack data after the bundle header (expected 'PACK')",
        ));
    }

    let directory = tempfile::Builder::new()
        .prefix("copse-git-bundle-")
        .tempdir()
        .map_err(|e| ImportError::input(path, None, format!("cannot create a temporary directory: {e}")))?;
    let pack_directory = directory.path().join("pack");
    std::fs::create_dir(&pack_directory)
        .map_err(|e| ImportError::input(path, None, format!("cannot create a temporary directory: {e}")))?;

    let options = gix_pack::bundle::write::Options {
        // One thread: indexing is not the bottleneck, and 1 keeps the
        // reader's footprint small on shared machines.
        thread_limit: Some(1),
        // Checks the pack's trailing checksum, so flipped bytes are caught.
        iteration_mode: gix_pack::data::input::Mode::Verify,
        alloc_limit_bytes: Some(max_object_bytes),
        ..Default::default()
    };
    let interrupt = AtomicBool::new(false);
    gix_pack::Bundle::write_to_directory(
        &mut reader,
        Some(&pack_directory),
        &mut gix::progress::Discard,
        &interrupt,
        None::<gix::odb::Handle>,
        gix::hash::Kind::Sha1,
        options,
    )
    .map_err(|e| {
        ImportError::at(
            path,
            Position::Byte(header.pack_offset),
            format!("the pack data starting here is truncated or corrupt: {e}"),
        )
    })?;

    let objects = gix::odb::at(directory.path(), gix::hash::Kind::Sha1)
        .map_err(|e| ImportError::input(path, None, format!("cannot open the indexed pack: {e}")))?;
    Ok(IndexedBundle { refs: header.refs, objects, _directory: directory })
}

struct Header {
    refs: Vec<(String, ObjectId)>,
    /// Byte offset of the pack, just after the blank line.
    pack_offset: u64,
}

fn read_header(path: &Path, reader: &mut impl BufRead, max_line_bytes: usize) -> Result<Header, ImportError> {
    let mut refs = Vec::new();
    let mut offset = 0u64;
    let mut line_number = 0u64;
    let mut line = Vec::new();
    let mut version = 0;
    loop {
        line.clear();
        line_number += 1;
        let read = reader
            .by_ref()
            .take(max_line_bytes as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| ImportError::io(path, &e))?;
        let at = Position::Line(line_number);
        if read == 0 {
            return Err(ImportError::at(path, at, "the bundle ends inside its header (no blank line before the pack)"));
        }
        if line.last() != Some(&b'\n') {
            let message = if read > max_line_bytes {
                format!("header line longer than {max_line_bytes} bytes")
            } else {
                "the bundle ends inside its header (no blank line before the pack)".to_string()
            };
            return Err(ImportError::at(path, at, message));
        }
        offset += read as u64;
        let text = trim_line_end(&line);

        if line_number == 1 {
            version = match text {
                SIGNATURE_V2 => 2,
                SIGNATURE_V3 => 3,
                _ => return Err(ImportError::at(path, at, "not a git bundle (no '# v2 git bundle' signature)")),
            };
            continue;
        }
        if text.is_empty() {
            return Ok(Header { refs, pack_offset: offset });
        }
        let text = std::str::from_utf8(text)
            .map_err(|_| ImportError::at(path, at.clone(), "header line is not valid UTF-8"))?;
        if let Some(capability) = text.strip_prefix('@') {
            if version < 3 {
                return Err(ImportError::at(path, at, "capability line in a v2 bundle"));
            }
            check_capability(path, at, capability)?;
        } else if let Some(prerequisite) = text.strip_prefix('-') {
            let id = prerequisite.split(' ').next().unwrap_or_default();
            return Err(ImportError::at(
                path,
                at,
                format!(
                    "the bundle is incremental: it needs commit {id}, which it does not contain; \
                     only complete bundles (no prerequisites) can be imported"
                ),
            ));
        } else {
            let (id, name) = text
                .split_once(' ')
                .ok_or_else(|| ImportError::at(path, at.clone(), "expected '<object id> <ref name>'"))?;
            let id = parse_id(id)
                .ok_or_else(|| ImportError::at(path, at.clone(), format!("'{id}' is not a SHA-1 object id")))?;
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(ImportError::at(path, at, format!("'{name}' is not a ref name")));
            }
            refs.push((name.to_string(), id));
        }
    }
}

fn check_capability(path: &Path, at: Position, capability: &str) -> Result<(), ImportError> {
    let (key, value) = capability.split_once('=').unwrap_or((capability, ""));
    match key {
        "object-format" if value == "sha1" => Ok(()),
        "object-format" => {
            Err(ImportError::at(path, at, format!("object format '{value}' is not supported (only sha1)")))
        }
        // A filtered (partial) bundle lacks some blobs; commits are all there.
        "filter" => Ok(()),
        _ => Err(ImportError::at(path, at, format!("unknown bundle capability '{key}'"))),
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A 40-digit hex SHA-1 id.
fn parse_id(hex: &str) -> Option<ObjectId> {
    if hex.len() != 40 {
        return None;
    }
    ObjectId::from_hex(hex.as_bytes()).ok()
}
