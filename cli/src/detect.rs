//! Which endpoint a file is for, from its path: two consecutive segments
//! that spell an id. (The payload's shape is the library's
//! [`preflight::detect`].)

use preflight::Endpoint;
use std::path::Path;

/// The endpoint whose id two consecutive path segments spell (the file stem
/// counts as a segment): `examples/sandeza/send/mpm.json`, `fixtures/chatbot/sendwa.json`.
/// The match closest to the file wins.
pub fn from_path(path: &Path, endpoints: &'static [Endpoint]) -> Option<&'static Endpoint> {
    let mut segments: Vec<&str> = path
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| c.as_os_str().to_str())
                .collect()
        })
        .unwrap_or_default();
    if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
        segments.push(stem);
    }
    segments.windows(2).rev().find_map(|pair| {
        endpoints.iter().find(|e| {
            e.id.split_once('/')
                .is_some_and(|(provider, name)| provider == pair[0] && name == pair[1])
        })
    })
}
