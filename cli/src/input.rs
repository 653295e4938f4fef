//! What `preflight validate` reads: the inputs named on the command line and
//! found in directories, and lines read with a bound.
//!
//! Directories are walked with the `ignore` crate as ripgrep walks them
//! (hidden entries skipped; `.gitignore` inside a git repository, `.ignore`
//! and git's exclude files honoured;
//! sorted by name, symbolic links followed, loops detected). Nothing is
//! skipped silently: a FIFO, device or socket met in a walk, a dangling link
//! and an unreadable entry each become an input of their own that the report
//! names. A FIFO or device named on the command line is read as a stream,
//! like standard input (a FIFO once a program opens it for writing, which
//! it is given [`FIFO_WAIT`] to do).

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

/// One thing to report on.
#[derive(Debug, Clone)]
pub enum Input {
    /// A regular file.
    File(PathBuf),
    /// A FIFO or device named on the command line: read like standard input.
    Stream(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A FIFO, device or socket met in a directory walk: reported, not read.
    Skipped {
        /// Where it is.
        path: PathBuf,
        /// What it is ("a FIFO (named pipe)").
        kind: &'static str,
    },
    /// A symbolic link to nothing.
    BrokenLink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },
    /// A path that could not be read or walked.
    Unreadable {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        problem: String,
    },
}

/// Files a directory walk picks up.
pub fn is_payload_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "ndjson" | "jsonl")
    )
}

/// Files read one payload per line.
pub fn is_ndjson(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("ndjson" | "jsonl")
    )
}

/// A short, stable description of an I/O error.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn special_kind(ft: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if ft.is_char_device() {
        Some("a character device")
    } else if ft.is_block_device() {
        Some("a block device")
    } else if ft.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

/// Adds the inputs `path` names, in order.
pub fn collect(path: &Path, inputs: &mut Vec<Input>) {
    if path.as_os_str() == "-" {
        inputs.push(Input::Stdin);
        return;
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            inputs.push(unfollowable(path).unwrap_or_else(|| Input::Unreadable {
                path: path.to_path_buf(),
                problem: describe_io(&e),
            }));
            return;
        }
    };
    if meta.is_dir() {
        walk(path, inputs);
    } else if special_kind(&meta.file_type()).is_some() {
        inputs.push(Input::Stream(path.to_path_buf()));
    } else {
        inputs.push(Input::File(path.to_path_buf()));
    }
}

/// What `path` is when it is a symbolic link that cannot be followed: a
/// link to nothing, or a loop of links (a link to itself, or links that
/// lead back to one another).
fn unfollowable(path: &Path) -> Option<Input> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    let err = std::fs::metadata(path).err()?;
    if err.kind() == io::ErrorKind::NotFound {
        return Some(Input::BrokenLink {
            path: path.to_path_buf(),
            target: std::fs::read_link(path).unwrap_or_default(),
        });
    }
    Some(Input::Unreadable {
        path: path.to_path_buf(),
        problem: link_loop(path).unwrap_or_else(|| describe_io(&err)),
    })
}

/// The most links a path is followed through (Linux's own limit).
const MAX_LINKS: usize = 40;

/// How the links from `path` lead back to one of them, when they do.
fn link_loop(path: &Path) -> Option<String> {
    let mut chain = vec![path.to_path_buf()];
    loop {
        let at = chain.last()?;
        let target = std::fs::read_link(at).ok()?;
        let next = match at.parent() {
            Some(dir) => dir.join(target),
            None => target,
        };
        let back = chain.contains(&next);
        chain.push(next);
        if back {
            break;
        }
        if chain.len() > MAX_LINKS {
            return Some(format!(
                "a chain of more than {MAX_LINKS} symbolic links from `{}`; not followed: point the link at a payload file, or delete it",
                path.display()
            ));
        }
    }
    let shown: Vec<String> = chain.iter().map(|p| format!("`{}`", p.display())).collect();
    let what = if chain.len() == 2 {
        "a symbolic link to itself"
    } else {
        "a symbolic link loop"
    };
    Some(format!(
        "{what} ({}); not followed: point the link at a payload file, or delete it",
        shown.join(" -> ")
    ))
}

/// How long a FIFO named on the command line may wait for a program to open
/// it for writing.
pub const FIFO_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens a stream named on the command line. A FIFO is opened only once a
/// program opens it for writing; if none does within [`FIFO_WAIT`] it is
/// not read at all (the error says so), rather than waited on for ever.
pub fn open_stream(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::FileTypeExt;
    let fifo = std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo());
    if !fifo {
        return std::fs::File::open(path);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let opening = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::File::open(opening));
    });
    match rx.recv_timeout(FIFO_WAIT) {
        Ok(opened) => opened,
        Err(_) => {
            // Opening it for writing completes the waiting open (which then
            // reads the end at once), so the thread finishes.
            let release = path.to_path_buf();
            std::thread::spawn(move || {
                drop(std::fs::OpenOptions::new().write(true).open(release));
            });
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "a FIFO (named pipe) that no program opened for writing within {} s; nothing was read: start the program that writes to it first, or pipe its output to `preflight validate -`",
                    FIFO_WAIT.as_secs()
                ),
            ))
        }
    }
}

fn walk(root: &Path, inputs: &mut Vec<Input>) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let path = e.path();
                let Some(ft) = e.file_type() else { continue };
                if ft.is_dir() || !is_payload_file(path) {
                    continue;
                }
                match special_kind(&ft) {
                    Some(kind) => inputs.push(Input::Skipped {
                        path: e.into_path(),
                        kind,
                    }),
                    None => inputs.push(Input::File(e.into_path())),
                }
            }
            Err(err) => inputs.push(walk_error(root, &err)),
        }
    }
}

/// The input a walk error stands for: a dangling link (only payload files
/// matter), a loop, or an unreadable entry.
fn walk_error(root: &Path, err: &ignore::Error) -> Input {
    let path = error_path(err).unwrap_or(root).to_path_buf();
    if let Some(input) = unfollowable(&path) {
        return input;
    }
    let problem = match err.io_error() {
        Some(io) => describe_io(io),
        None => loop_text(err).unwrap_or_else(|| err.to_string()),
    };
    Input::Unreadable { path, problem }
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn loop_text(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::Loop { ancestor, .. } => Some(format!(
            "a symbolic link loop back to {}; not followed",
            ancestor.display()
        )),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => loop_text(err),
        _ => None,
    }
}

/// How reading one line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRead {
    /// A line (with its line ending, if any) was appended to the buffer.
    Line,
    /// The line was longer than the limit: nothing was appended; the line
    /// was skipped (`ended`), or no line break came within [`SKIP_LIMIT`]
    /// more bytes and reading stopped there.
    TooLong {
        /// Bytes read of the line.
        bytes: u64,
        /// The line ended (reading can go on after it).
        ended: bool,
    },
    /// Nothing left.
    Eof,
}

/// How far past the payload limit a line is skipped in search of its end.
pub const SKIP_LIMIT: usize = 256 * 1024 * 1024;

/// Appends one line of `reader` to `buf`, unless it is longer than `max`
/// bytes (line ending not counted): then it is skipped, never held.
pub fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    let start = buf.len();
    let mut skipped: Option<u64> = None;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match skipped {
                Some(bytes) => LineRead::TooLong { bytes, ended: true },
                None if buf.len() - start > max => {
                    let bytes = (buf.len() - start) as u64;
                    buf.truncate(start);
                    LineRead::TooLong { bytes, ended: true }
                }
                None if buf.len() > start => LineRead::Line,
                None => LineRead::Eof,
            });
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        match skipped.as_mut() {
            Some(bytes) => *bytes += take as u64,
            None => {
                buf.extend_from_slice(&available[..take]);
                let len = buf.len() - start;
                // The line ending (LF or CRLF) does not count; a CR that may
                // be followed by a LF in the next read may not count either.
                let too_long = if done {
                    let crlf = len >= 2 && buf[buf.len() - 2] == b'\r';
                    len - 1 - usize::from(crlf) > max
                } else {
                    len > max + 1
                };
                if too_long {
                    skipped = Some((buf.len() - start) as u64);
                    buf.truncate(start);
                }
            }
        }
        reader.consume(take);
        if let Some(bytes) = skipped {
            if done {
                return Ok(LineRead::TooLong { bytes, ended: true });
            }
            if bytes > (max + SKIP_LIMIT) as u64 {
                return Ok(LineRead::TooLong {
                    bytes,
                    ended: false,
                });
            }
        } else if done {
            return Ok(LineRead::Line);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn lines_over_the_limit_are_skipped_not_held() {
        let text = b"{\"a\":1}\r\n0123456789abcdef\nxyz";
        let mut reader = io::BufReader::with_capacity(4, &text[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 7).unwrap(), LineRead::Line);
        assert_eq!(buf, b"{\"a\":1}\r\n");
        assert_eq!(
            read_line(&mut reader, &mut buf, 7).unwrap(),
            LineRead::TooLong {
                bytes: 17,
                ended: true
            }
        );
        assert_eq!(buf.len(), 9, "nothing of the long line is kept");
        assert_eq!(read_line(&mut reader, &mut buf, 7).unwrap(), LineRead::Line);
        assert_eq!(&buf[9..], b"xyz");
        assert_eq!(read_line(&mut reader, &mut buf, 7).unwrap(), LineRead::Eof);
    }

    #[test]
    fn link_loops_are_named_as_loops() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        symlink("self.json", d.join("self.json")).unwrap();
        symlink("b.json", d.join("a.json")).unwrap();
        symlink("a.json", d.join("b.json")).unwrap();
        symlink("nowhere.json", d.join("dangling.json")).unwrap();
        let problem = |name: &str| match unfollowable(&d.join(name)) {
            Some(Input::Unreadable { problem, .. }) => problem,
            other => panic!("{name}: {other:?}"),
        };
        assert!(problem("self.json").starts_with("a symbolic link to itself"));
        let pair = problem("a.json");
        assert!(pair.starts_with("a symbolic link loop"), "{pair}");
        assert!(
            pair.contains("a.json` -> `") && pair.contains("b.json"),
            "{pair}"
        );
        assert!(matches!(
            unfollowable(&d.join("dangling.json")),
            Some(Input::BrokenLink { .. })
        ));
    }

    #[test]
    fn a_line_that_never_ends_stops_reading() {
        let mut reader = io::BufReader::new(io::repeat(b'0'));
        let mut buf = Vec::new();
        match read_line(&mut reader, &mut buf, 1024).unwrap() {
            LineRead::TooLong { ended, .. } => assert!(!ended),
            other => panic!("{other:?}"),
        }
        assert!(buf.is_empty());
    }
}
