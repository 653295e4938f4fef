//! Writes a realistic templates file for the benchmark: what Meta's
//! `GET /{waba-id}/message_templates` returns for an account with N
//! templates. Every shipped example template is in it (so the corpus' sends
//! find theirs), and the rest are variants of them (another name, another
//! wording, the same components and placeholders), as an account's
//! templates are: a few shapes, many campaigns.
//!
//! Usage: gen-templates EXAMPLE_TEMPLATES_FILE OUT_FILE [N=500]

use serde_json::Value;

/// Campaign words the variants' names and texts take.
const CAMPAIGNS: &[&str] = &[
    "ramadan",
    "lebaran",
    "harbolnas",
    "akhir_tahun",
    "imlek",
    "merdeka",
    "payday",
    "gajian",
    "natal",
    "tahun_baru",
    "back_to_school",
    "ulang_tahun",
];

/// The same text with its campaign named, placeholders untouched.
fn reword(component: &mut Value, campaign: &str) {
    let body = component.get("type").and_then(Value::as_str) == Some("BODY");
    if let Some(Value::String(text)) = component.get_mut("text")
        && body
    {
        text.push_str(&format!(" (Program {}.)", campaign.replace('_', " ")));
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: gen-templates EXAMPLE_TEMPLATES_FILE OUT_FILE [N]".into());
    }
    let n: usize = args.get(3).map_or(Ok(500), |s| s.parse())?;
    let source: Value = serde_json::from_slice(&std::fs::read(&args[1])?)?;
    let examples = source
        .get("data")
        .and_then(Value::as_array)
        .ok_or("the examples file has no `data` array")?;
    if examples.is_empty() {
        return Err("no example templates".into());
    }
    let mut data: Vec<Value> = examples.clone();
    let mut i = 0;
    while data.len() < n {
        let mut t = examples[i % examples.len()].clone();
        let campaign = CAMPAIGNS[(i / examples.len()) % CAMPAIGNS.len()];
        let name = t.get("name").and_then(Value::as_str).unwrap_or("template");
        let name = format!(
            "{name}_{campaign}_{}",
            i / (examples.len() * CAMPAIGNS.len()) + 1
        );
        t["name"] = Value::from(name);
        t["id"] = Value::from(format!("{}", 179_000_000_000_000u64 + i as u64));
        if let Some(Value::Array(components)) = t.get_mut("components") {
            for c in components {
                reword(c, campaign);
            }
        }
        data.push(t);
        i += 1;
    }
    let out = serde_json::json!({
        "data": data,
        "paging": {"cursors": {"before": "QVFIUk1hcm", "after": "QVFIUkVnQ"}}
    });
    std::fs::write(&args[2], serde_json::to_vec_pretty(&out)?)?;
    println!("wrote {} templates to {}", n.max(examples.len()), args[2]);
    Ok(())
}
