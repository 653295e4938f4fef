// A Sandeza `ref_id` (at most 50 characters) can only be made through its
// checked constructors: there is no way to wrap an unchecked string.
use preflight::types::sandeza::{SendRequestRefId, SendRequest};

fn main() {
    let too_long = "a".repeat(51);
    let _id = SendRequestRefId(too_long);
}

#[allow(dead_code)]
fn smuggle(request: &mut SendRequest) {
    request.ref_id = String::from("a-string-is-not-a-ref-id");
}
