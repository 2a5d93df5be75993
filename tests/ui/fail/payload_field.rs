// With `payload = Type`, `$.payload.<key>` reads the type's field, so rustc checks the name:
// `objectName` (`object_name`) is not a field of `ActionPayload`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ActionPayload {
    record_id: String,
    object_type: Option<String>,
}

ctiflow::ctiflow! {
    name = pop, source = CtiAction, payload = ActionPayload,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "$.payload.objectName" }, "ports": { "success": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {}
