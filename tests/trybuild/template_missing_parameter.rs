// A typed template cannot be sent with a placeholder left out:
// `pengingat_tagihan` has three body placeholders, so its type has three
// fields, and a value without `body_3` does not compile.
use preflight_tests::templates::PengingatTagihanId;

fn main() {
    let _send = PengingatTagihanId {
        body_1: "Hendra Gunawan".try_into().unwrap(),
        body_2: "Rp 1.245.000".try_into().unwrap(),
    };
}
