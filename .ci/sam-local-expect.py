"""What each sample event must answer under `sam local invoke` (.ci/sam-local).

Usage: sam-local-expect.py KIND NAME [--expected FILE] ANSWER CALLS

ANSWER is the function's answer (the last line `sam local invoke` printed),
CALLS the JSON lines the local IVS Chat API server printed meanwhile, one per
request it received. KIND is review, review-override, moderation-actions or
scheduled-events; NAME the sample's file name (or the override case). Every
sample must have an expectation here: a new one without fails the run.
Exits 1 naming what differs. .ci/sam-local's start-lambda step imports the
same expectations.
"""

import json
import sys

A = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh"
B = "arn:aws:ivschat:us-west-2:123456789012:room/ijklIJKLmnop"
C = "arn:aws:ivschat:us-west-2:123456789012:room/qrstQRSTuvwx"

# events/message-review/README.md: DENY, ALLOW as sent, or ALLOW masked.
REVIEW = {
    "clean.json": "unchanged",
    "profane.json": "deny",
    "mild.json": "masked",
    "mild-swearing.json": "unchanged",
    "disguised-mild.json": "masked",
    "evasive.json": "masked",
    "unicode.json": "masked",
    "no-attributes.json": "unchanged",
    "max-length.json": "masked",
    "innocent.json": "unchanged",
}


def fail(message):
    print(f"  FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def operations(calls):
    for call in calls:
        expect(call["authError"] is None, f"{call['operation']}: bad signature: {call['authError']}")
    return sorted((c["operation"], c["status"]) for c in calls)


def review(name, answer, calls, expected_file):
    kind = REVIEW.get(name)
    expect(kind is not None, f"events/message-review/{name} has no expectation in {__file__}")
    with open(f"events/message-review/{name}") as f:
        event = json.load(f)
    with open(expected_file) as f:
        expected = json.loads(f.read().strip().splitlines()[-1])
    expect(answer == expected, f"the answer differs from chatmod's:\n  {answer}\n  {expected}")
    content = event.get("Content")
    if kind == "deny":
        expect(answer.get("ReviewResult") == "DENY", f"expected DENY: {answer}")
    else:
        expect(answer.get("ReviewResult") == "ALLOW", f"expected ALLOW: {answer}")
        if kind == "unchanged":
            expect(answer.get("Content") == content, f"expected the content unchanged: {answer}")
        else:
            masked = answer.get("Content", "")
            expect(masked != content and "*" in masked, f"expected masked content: {answer}")
            expect(len(masked) == len(content), "masking changed the length")
    expect(calls == [], f"the review handler made calls: {calls}")


def review_override(name, answer, calls):
    if name == "frack-denied":
        expect(answer.get("ReviewResult") == "DENY", f"ReviewBlockTerms did not reach the handler: {answer}")
    elif name == "mild-masked":
        expect(answer.get("ReviewResult") == "ALLOW", f"expected ALLOW: {answer}")
        expect("****" in answer.get("Content", ""), f"ReviewPolicy did not reach the handler: {answer}")
    elif name == "word-list-missing":
        message = answer.get("errorMessage", "")
        expect(
            "REVIEW_WORD_LISTS" in message and "/opt/no-such-list.txt" in message,
            f"expected the init error naming REVIEW_WORD_LISTS and the file: {answer}",
        )
    else:
        fail(f"no override case {name}")
    expect(calls == [], f"the review handler made calls: {calls}")


def moderation_actions(name, answer, calls):
    ops = operations(calls)
    if name == "sqs-batch.json":
        expect(
            answer == {"batchItemFailures": [
                {"itemIdentifier": "5f2a9c1e-0003-4c8e-9a51-6e0c2b7d1a03"},
                {"itemIdentifier": "5f2a9c1e-0004-4c8e-9a51-6e0c2b7d1a04"},
            ]},
            f"expected exactly the two invalid records to fail: {answer}",
        )
        expect(ops == [("DeleteMessage", 200), ("DisconnectUser", 200), ("SendEvent", 200)], ops)
    elif name in ("eventbridge.json", "direct-delete-message.json", "direct-send-event.json"):
        action = {"eventbridge.json": "disconnectUser",
                  "direct-delete-message.json": "deleteMessage",
                  "direct-send-event.json": "sendEvent"}[name]
        expect(answer.get("status") == "done" and answer.get("action") == action,
               f"expected {action} done: {answer}")
        expect(ops == [(action[0].upper() + action[1:], 200)], f"calls: {ops}")
    elif name == "direct-invalid.json":
        expect(answer.get("errorType") == "ValidationError", f"expected a ValidationError: {answer}")
        expect("userId" in answer.get("errorMessage", ""), f"the error must name userId: {answer}")
        expect(ops == [], f"an invalid command made calls: {ops}")
    elif name in ("direct-ban-user.json", "direct-timeout-user.json"):
        expect(answer.get("status") == "done", f"expected the sanction done: {answer}")
        expect(sorted(ops) == [("DisconnectUser", 200), ("SendEvent", 200)],
               f"a sanction disconnects and announces once: {ops}")
    elif name == "direct-lift-sanction.json":
        expect(answer.get("status") == "done", f"expected the lift done: {answer}")
        expect(ops == [], f"lifting calls no IVS Chat operation: {ops}")
    else:
        fail(f"events/moderation-actions/{name} has no expectation in {__file__}")


def chat_token(name, answer, calls):
    ops = operations(calls)
    if name == "normal.json":
        expect(answer.get("capabilities") == ["SEND_MESSAGE"], f"expected the token asked for: {answer}")
        expect(ops == [("CreateChatToken", 200)], f"calls: {ops}")
    elif name == "timed-out.json":
        expect(answer.get("capabilities") == [], f"expected a read-only token: {answer}")
        expect(1 <= answer.get("sessionDurationInMinutes", 0) <= 10, f"session past the timeout: {answer}")
        expect(ops == [("CreateChatToken", 200)], f"calls: {ops}")
    elif name == "banned.json":
        expect(answer.get("errorType") == "ChatToken.UserBanned", f"expected ChatToken.UserBanned: {answer}")
        expect(ops == [], f"a banned user got a call made: {ops}")
    elif name == "invalid.json":
        expect(answer.get("errorType") == "ValidationError", f"expected a ValidationError: {answer}")
        expect(ops == [], f"an invalid request made calls: {ops}")
    else:
        fail(f"events/chat-token/{name} has no expectation in {__file__}")


def strike_tracking(name, answer, calls):
    ops = operations(calls)
    if name == "first-delivery":
        expect(answer.get("records") == 3, f"expected 3 records: {answer}")
        expect(len(answer.get("sanctions", [])) == 1, f"expected one timeout: {answer}")
        expect(sorted(ops) == [("DisconnectUser", 200), ("SendEvent", 200)], f"calls: {ops}")
    elif name == "redelivery":
        expect(answer.get("sanctions") == [], f"a redelivered batch sanctioned again: {answer}")
        expect(ops == [], f"a redelivered batch made calls: {ops}")
    else:
        fail(f"strike-tracking {name} has no expectation in {__file__}")


def chat_log_review(name, answer, calls):
    ops = operations(calls)
    if name == "subscription.json":
        expect(answer.get("queued") == 2, f"expected two deleteMessage commands queued: {answer}")
        expect(ops == [("SQS.SendMessageBatch", 200)], f"calls: {ops}")
    elif name == "subscription-decoded.json":
        # The same event decoded, for reading: not what Lambda delivers, so
        # refused naming the field it lacks, and nothing is queued.
        expect(answer.get("errorType") == "ChatLogReview.InvalidEvent"
               and "awslogs" in answer.get("errorMessage", ""),
               f"expected the decoded copy refused naming awslogs: {answer}")
        expect(ops == [], f"calls: {ops}")
    elif name == "control-message.json":
        expect(answer.get("queued", 0) == 0 and "errorType" not in answer, f"control message: {answer}")
        expect(ops == [], f"calls: {ops}")
    else:
        fail(f"events/chat-log-review/{name} has no expectation in {__file__}")


def scheduled_events(name, answer, calls):
    ops = operations(calls)
    if name == "scheduler-input.json":
        sent = sorted(s["roomArn"] for s in answer.get("sent", []))
        expect(sent == [A, B, C] and answer.get("failed") == [],
               f"expected A, B (named) and C (tagged) sent once each: {answer}")
        expect(ops == [("ListRooms", 200)] + [("SendEvent", 200)] * 3, f"calls: {ops}")
    elif name == "scheduler-input-dry-run.json":
        expect(answer.get("dryRun") is True and answer.get("wouldSend") == [A], f"dry run: {answer}")
        expect(ops == [], f"a dry run made calls: {ops}")
    elif name == "scheduler-input-invalid.json":
        expect("rooms[1]" in answer.get("errorMessage", ""), f"the error must name rooms[1]: {answer}")
        expect(ops == [], f"an invalid input made calls: {ops}")
    elif name == "scheduled-envelope.json":
        # The template sets no envelope target (ROOMS, ROOM_TAGS): the run
        # fails saying so, having called nothing.
        expect("errorMessage" in answer, f"expected an error without an envelope target: {answer}")
        expect(ops == [], f"calls: {ops}")
    else:
        fail(f"events/scheduled-events/{name} has no expectation in {__file__}")


def main():
    args = sys.argv[1:]
    expected_file = None
    if "--expected" in args:
        i = args.index("--expected")
        expected_file = args[i + 1]
        del args[i:i + 2]
    kind, name, answer_path, calls_path = args
    with open(answer_path) as f:
        text = f.read().strip()
    try:
        answer = json.loads(text)
    except json.JSONDecodeError:
        fail(f"the answer is not JSON: {text!r}")
    with open(calls_path) as f:
        calls = [json.loads(line) for line in f if line.strip()]
    if kind == "review":
        review(name, answer, calls, expected_file)
    elif kind == "review-override":
        review_override(name, answer, calls)
    elif kind == "moderation-actions":
        moderation_actions(name, answer, calls)
    elif kind == "chat-token":
        chat_token(name, answer, calls)
    elif kind == "strike-tracking":
        strike_tracking(name, answer, calls)
    elif kind == "chat-log-review":
        chat_log_review(name, answer, calls)
    elif kind == "scheduled-events":
        scheduled_events(name, answer, calls)
    else:
        fail(f"unknown kind {kind}")


if __name__ == "__main__":
    main()
