//! Times the generator's phases on a schema directory (default `../schemas`):
//! `cargo run --release -p preflight-codegen --example timing [DIR]`.

use std::time::Instant;

fn main() -> Result<(), preflight_codegen::CodegenError> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "schemas".into());
    let options = preflight_codegen::Options::for_preflight();
    let mut best = [f64::MAX; 3];
    for _ in 0..10 {
        let t0 = Instant::now();
        let set = preflight_codegen::SchemaSet::load_dir(std::path::Path::new(&dir))?;
        let t1 = Instant::now();
        let generated = preflight_codegen::generate(&set, &options)?;
        let t2 = Instant::now();
        let source = generated.to_source()?;
        let t3 = Instant::now();
        std::hint::black_box(source);
        for (b, d) in best.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2]) {
            *b = b.min(d.as_secs_f64() * 1000.0);
        }
    }
    println!(
        "load {:.1} ms, generate {:.1} ms, format {:.1} ms (best of 10)",
        best[0], best[1], best[2]
    );
    Ok(())
}
