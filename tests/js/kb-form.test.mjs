// Unit tests of the form script's pure functions: `node --test tests/js/` (tests/test_form_js.py runs them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  MAILTO_LIMIT, checkDomain, checkField, composeBody, composeEmail, crlf, decodeMailto, encodeValue, formatIPv6,
  mailtoHref, parseAddresses, parseIPv4, parseIPv6, recognise,
} from "../../docs/assets/javascripts/kb-form.js";

const PUBLIC_SAYS = "iCloud sees your mail server's public address";

test("IPv4: dotted quads only, each number 0 to 255, no leading zeros", () => {
  assert.deepEqual(parseIPv4("0.0.0.0"), [0, 0, 0, 0]);
  assert.deepEqual(parseIPv4("255.255.255.255"), [255, 255, 255, 255]);
  for (const bad of ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "0x7f.0.0.1", "+1.2.3.4", "1.2.3.-4",
    "1..3.4", "1.2.3.4.", "", "１.２.３.４", "1.2.3.4 ", "1e2.0.0.1"]) {
    assert.equal(parseIPv4(bad), null, bad);
  }
});

test("IPv4: private, shared, loopback, link-local, documentation and reserved ranges are refused at their edges", () => {
  const refused = ["0.1.2.3", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255", "127.0.0.1",
    "169.254.10.1", "172.16.0.0", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.0.1",
    "198.18.0.0", "198.19.255.255", "198.51.100.7", "203.0.113.10", "224.0.0.1", "239.255.255.255", "240.0.0.1",
    "255.255.255.255"];
  for (const address of refused) {
    const { addresses, problems } = parseAddresses(address);
    assert.deepEqual(addresses, [], address);
    assert.equal(problems.length, 1, address);
    assert.ok(problems[0].includes(PUBLIC_SAYS), problems[0]);
  }
  const allowed = ["1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "17.58.0.1", "100.63.255.255", "100.128.0.0",
    "126.255.255.255", "128.0.0.1", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0",
    "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255"];
  for (const address of allowed) assert.deepEqual(parseAddresses(address), { addresses: [address], problems: [] });
});

test("IPv4: the messages say what is wrong", () => {
  assert.deepEqual(parseAddresses("192.168.1.20").problems,
    ["192.168.1.20 is a private address (192.168.0.0/16). iCloud sees your mail server's public address: enter that."]);
  assert.match(parseAddresses("300.1.2.3").problems[0], /each of its four numbers must be 0 to 255/);
  assert.match(parseAddresses("010.1.2.3").problems[0], /leading zero/);
  assert.match(parseAddresses("81.2.69.0/24").problems[0], /is a range/);
  assert.match(parseAddresses("mail.example.net").problems[0], /is not an IPv4 or IPv6 address/);
});

test("IPv6: full, compressed and IPv4-tailed forms parse; malformed ones do not", () => {
  assert.deepEqual(parseIPv6("2a00:1450:4009:81a:0:0:0:200e"), [0x2a00, 0x1450, 0x4009, 0x81a, 0, 0, 0, 0x200e]);
  assert.deepEqual(parseIPv6("::"), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(parseIPv6("::1"), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIPv6("2600::"), [0x2600, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(parseIPv6("::ffff:1.2.3.4"), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
  assert.deepEqual(parseIPv6("2001:db8:1:2:3:4:1.2.3.4"), [0x2001, 0xdb8, 1, 2, 3, 4, 0x0102, 0x0304]);
  for (const bad of ["1::2::3", ":1::", "1:::2", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "::1.2.3",
    "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8::", "::1.2.3.256", "2001:db8::1 ", "", ":"]) {
    assert.equal(parseIPv6(bad), null, bad);
  }
});

test("IPv6: written back in RFC 5952 form", () => {
  const canonical = (text) => formatIPv6(parseIPv6(text));
  assert.equal(canonical("2A00:1450:4009:081A:0000:0000:0000:200E"), "2a00:1450:4009:81a::200e");
  assert.equal(canonical("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1"); // the longer run of zeros
  assert.equal(canonical("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1"); // the first of equal runs
  assert.equal(canonical("2001:db8:1:1:1:1:0:1"), "2001:db8:1:1:1:1:0:1"); // a single zero stays
  assert.deepEqual(parseAddresses("2A00:1450:4009:81A::200E, [2606:4700::1111]").addresses,
    ["2a00:1450:4009:81a::200e", "2606:4700::1111"]);
});

test("IPv6: loopback, link-local, unique local, documentation, multicast and reserved ranges are refused", () => {
  const refused = ["::", "::1", "::ffff:8.8.8.8", "fe80::1", "febf:ffff::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "2001:db8::1", "2001:DB8:ffff::1", "3fff::1", "2001::1", "2001:1ff:ffff::1", "fec0::1", "4000::1", "100::1",
    "1fff:ffff::1", "::1.2.3.4"];
  for (const address of refused) {
    const { addresses, problems } = parseAddresses(address);
    assert.deepEqual(addresses, [], address);
    assert.ok(problems[0].includes(PUBLIC_SAYS), `${address}: ${problems[0]}`);
  }
  for (const address of ["2001:200::1", "2001:4860:4860::8888", "2a00:1450:4009:81a::200e", "2606:4700::1111",
    "2002:c000:204::1", "3ffe:ffff::1", "2000::1"]) {
    assert.deepEqual(parseAddresses(address).problems, [], address);
  }
  assert.match(parseAddresses("fe80::1%eth0").problems[0], /zone/);
});

test("address lists: commas, spaces, tabs and new lines separate; duplicates are dropped", () => {
  assert.deepEqual(parseAddresses(" 81.2.69.142,17.58.0.1\n\n2a00:1450::1\t81.2.69.142 ,  17.58.0.2\r\n").addresses,
    ["81.2.69.142", "17.58.0.1", "2a00:1450::1", "17.58.0.2"]);
  assert.deepEqual(parseAddresses(" , \n"), { addresses: [], problems: [] });
  const mixed = parseAddresses("81.2.69.142, 10.1.1.1, 2001:db8::5");
  assert.deepEqual(mixed.addresses, ["81.2.69.142"]);
  assert.equal(mixed.problems.length, 2);
});

test("domains: a sender's domain is accepted, anything else explained", () => {
  assert.deepEqual(checkDomain("safeharboursupport.com"), { value: "safeharboursupport.com" });
  assert.deepEqual(checkDomain(" Mail.Example-Host.CO.UK. "), { value: "mail.example-host.co.uk" });
  assert.deepEqual(checkDomain("bücher.de"), { value: "bücher.de" });
  const wrong = {
    "https://safeharboursupport.com/": /domain only, without https:\/\//,
    "safeharboursupport.com/contact": /domain only/,
    "neil@safeharboursupport.com": /the part after @, safeharboursupport\.com/,
    "81.2.69.142": /That is an IP address/,
    "localhost": /not a domain name/,
    "com": /not a domain name/,
    "-bad.com": /not a domain name/,
    "bad-.com": /not a domain name/,
    "a..com": /not a domain name/,
    "under_score.com": /not a domain name/,
    "exa mple.com": /not a domain name/,
    "example.com": /reserved for examples/,
    "mail.test": /reserved for examples/,
    "server.local": /reserved for examples/,
    [`${"a".repeat(64)}.com`]: /not a domain name/,
    "1.2.3": /not a domain name/,
  };
  for (const [input, message] of Object.entries(wrong)) assert.match(checkDomain(input).message ?? "", message, input);
});

test("fields: required ones must be filled; values are trimmed as they go in the email", () => {
  assert.deepEqual(checkField({ label: "Company name", kind: "text", required: true }, "  "),
    { value: "", message: "This field is required." });
  assert.deepEqual(checkField({ label: "Note", kind: "text", required: false }, ""), { value: "" });
  assert.deepEqual(checkField({ label: "Errors", kind: "smtp-errors" }, "\n  554 x\r\n  second \n\n"),
    { value: "  554 x\n  second" });
  assert.deepEqual(checkField({ label: "IPs", kind: "ip-addresses" }, "81.2.69.142\n17.58.0.1"),
    { value: "81.2.69.142, 17.58.0.1" });
});

test("RFC 6068: UTF-8 percent-encoding, %20 for spaces, %0D%0A for line breaks", () => {
  assert.equal(encodeValue("a b+c&d=e?f#g%h"), "a%20b%2Bc%26d%3De%3Ff%23g%25h");
  assert.equal(encodeValue("1\n2\r3\r\n4"), "1%0D%0A2%0D%0A3%0D%0A4");
  assert.equal(encodeValue("café ✉ 😀"), "caf%C3%A9%20%E2%9C%89%20%F0%9F%98%80");
  assert.equal(encodeValue("it's (fine)!*"), "it%27s%20%28fine%29%21%2A");
  assert.equal(encodeValue("lone \uD800 surrogate"), "lone%20%EF%BF%BD%20surrogate");
  assert.equal(mailtoHref("icloudadmin@apple.com", "I would like to open a deliverability ticket", "x"),
    "mailto:icloudadmin@apple.com?subject=I%20would%20like%20to%20open%20a%20deliverability%20ticket&body=x");
});

// A small seeded generator, so a failure can be replayed.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["&", "?", "=", "#", "%", "+", "\r\n", "\n", "\r", " ", "%20", "&cc=x@evil.example", "&body=", "mailto:",
  "é", "ß", "Ω", "中文", "😀", "👩‍💻", "e\u0301", "\u0000", "\t", "/", "\\", "'", "\"", "<", ">", ";", ":", "@", "~"];

function randomText(next) {
  let text = "";
  const length = Math.floor(next() * 40);
  for (let i = 0; i < length; i++) {
    const roll = next();
    if (roll < 0.45) text += PIECES[Math.floor(next() * PIECES.length)];
    else if (roll < 0.7) text += String.fromCharCode(32 + Math.floor(next() * 95));
    else if (roll < 0.95) text += String.fromCodePoint(Math.floor(next() * 0xd7ff));
    else text += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
  }
  return text;
}

test("RFC 6068 round trip: any Unicode subject and body come back exactly, as the only two parameters", () => {
  const next = random(6068);
  for (let i = 0; i < 3000; i++) {
    const subject = randomText(next);
    const body = randomText(next);
    const href = mailtoHref("icloudadmin@apple.com", subject, body);
    assert.match(href, /^mailto:icloudadmin@apple\.com\?subject=[A-Za-z0-9\-._~%]*&body=[A-Za-z0-9\-._~%]*$/);
    const decoded = decodeMailto(href);
    assert.deepEqual(Object.keys(decoded.params), ["subject", "body"]);
    assert.equal(decoded.to, "icloudadmin@apple.com");
    assert.equal(decoded.subject, crlf(subject), JSON.stringify(subject));
    assert.equal(decoded.body, crlf(body), JSON.stringify(body));
    // an independent reader agrees (URLSearchParams would turn a stray + into a space)
    const query = new URLSearchParams(href.split("?")[1]);
    assert.equal(query.get("body"), crlf(body));
  }
});

const TICKET = {
  recipient: "icloudadmin@apple.com",
  subject: "I would like to open a deliverability ticket",
  fields: [
    { label: "Company name", kind: "text", required: true },
    { label: "Email domain", kind: "domain", required: true },
    { label: "Mail server IP addresses", kind: "ip-addresses", required: true },
    { label: "SMTP errors", kind: "smtp-errors", required: true },
    { label: "Description", kind: "long-text", required: true },
    { label: "When it started", kind: "text", required: true },
  ],
};

test("the body lists each label with its value", () => {
  const email = composeEmail(TICKET, ["Safeharbour Support Ltd", "safeharboursupport.com", "81.2.69.142\n17.58.0.1",
    "554 5.7.1 [CS01] Message rejected", "Bounces since Monday.\nOthers accept.", "Monday 09:00 UTC"]);
  assert.equal(email.valid, true);
  assert.equal(email.body, "Company name: Safeharbour Support Ltd\nEmail domain: safeharboursupport.com\n" +
    "Mail server IP addresses: 81.2.69.142, 17.58.0.1\n\nSMTP errors:\n554 5.7.1 [CS01] Message rejected\n\n" +
    "Description:\nBounces since Monday.\nOthers accept.\n\nWhen it started: Monday 09:00 UTC");
  assert.equal(email.text, `To: icloudadmin@apple.com\nSubject: I would like to open a deliverability ticket\n\n${email.body}`);
  assert.equal(decodeMailto(email.href).body, crlf(email.body));
});

test("an incomplete or wrong form is not valid and says what is still needed", () => {
  const email = composeEmail(TICKET, ["Safeharbour", "example.com", "10.0.0.1", "", "x", "today"]);
  assert.equal(email.valid, false);
  assert.deepEqual(email.pending, ["Email domain", "Mail server IP addresses", "SMTP errors"]);
  assert.equal(composeBody([{ label: "A", value: "" }, { label: "B", value: "", multiline: true }]), "A:\nB:");
});

test("past 2,000 characters no link carries the body: it carries only the subject, to paste into", () => {
  const at = (extra) => composeEmail(TICKET, ["C", "safeharboursupport.com", "81.2.69.142", "554", "x".repeat(extra), "now"]);
  const exact = MAILTO_LIMIT - at(1).href.length + 1;
  const fits = at(exact);
  assert.equal(fits.href.length, MAILTO_LIMIT);
  assert.equal(fits.linkLength, MAILTO_LIMIT);
  assert.equal(fits.tooLong, false);
  assert.equal(decodeMailto(fits.href).body, crlf(fits.body));

  const long = at(exact + 1);
  assert.equal(long.tooLong, true);
  assert.equal(long.linkLength, MAILTO_LIMIT + 1);
  assert.equal(long.href, "mailto:icloudadmin@apple.com?subject=I%20would%20like%20to%20open%20a%20deliverability%20ticket");
  assert.deepEqual(Object.keys(decodeMailto(long.href).params), ["subject"]);
  assert.ok(long.text.endsWith(long.body), "the whole email is still there to copy");
  const huge = at(20000);
  assert.ok(huge.tooLong && huge.href.length < 200);
});

const CODES_FILE = process.env.KB_REJECTIONS_JSON;

test("known rejection codes from the data file are recognised in pasted errors", { skip: !CODES_FILE && "set KB_REJECTIONS_JSON" }, () => {
  const codes = JSON.parse(readFileSync(CODES_FILE, "utf8"));
  for (const code of codes) {
    assert.deepEqual(recognise(code.sample, codes).map((c) => c.code), [code.code], code.code);
  }
  const pasted = "host mx01.mail.icloud.com said: 554 5.7.1 [cs01] Message rejected due to local policy\n" +
    "421 4.7.1 Messages to a@icloud.com deferred due to excessive volume. Try again later";
  const found = recognise(pasted, codes);
  assert.deepEqual(found.map((c) => [c.code, c.needs_ticket]), [["[CS01]", true], ["421 4.7.1 excessive volume", false]]);
  assert.equal(found[1].verdict, "Not a block: no ticket needed");
  assert.deepEqual(recognise("250 2.0.0 OK", codes), []);
});
