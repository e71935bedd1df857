// Email forms from `/// kb-form` blocks: the reader fills in the fields, checks a preview, and opens the email
// in their own email app (a mailto: link) or copies its text. Nothing leaves the browser.
//
// The pure functions (exported, unit tested under `node --test`) come first; the DOM wiring follows and runs
// only in a browser, once per form, on every page Material's instant navigation shows.

/** Past this many characters some email apps cut a mailto: link short or refuse it (Windows near 2,083). */
export const MAILTO_LIMIT = 2000;

// Pure functions

/** Every line break as CRLF, the form RFC 6068 wants in a body. */
export function crlf(text) {
  return String(text).replace(/\r\n|\r|\n/g, "\r\n");
}

/** RFC 6068: UTF-8 percent-encoding of all but unreserved characters (so space is %20, never +). */
export function encodeValue(text) {
  const wellFormed = String(text).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  return encodeURIComponent(crlf(wellFormed)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** mailto: with only `subject` and `body` (or only `subject`, when there is no body), whatever the values hold. */
export function mailtoHref(recipient, subject, body) {
  const link = `mailto:${recipient}?subject=${encodeValue(subject)}`;
  return body === undefined ? link : `${link}&body=${encodeValue(body)}`;
}

/** {to, subject, body, params} of a mailto: link: what an email app reads from it. */
export function decodeMailto(href) {
  const match = /^mailto:([^?]*)(?:\?(.*))?$/s.exec(href);
  if (!match) throw new Error(`not a mailto: link: ${href}`);
  const params = {};
  for (const pair of (match[2] || "").split("&").filter(Boolean)) {
    const at = pair.indexOf("=");
    const key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at)).toLowerCase();
    params[key] = decodeURIComponent(at < 0 ? "" : pair.slice(at + 1));
  }
  return { to: decodeURIComponent(match[1]), subject: params.subject, body: params.body, params };
}

const RESERVED_DOMAINS = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local)$/;

/** A domain name someone sends from: {value} normalised, or {message} saying what is wrong. */
export function checkDomain(input) {
  let text = String(input).trim();
  if (!text) return { value: "" };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes("/")) {
    return { message: "Enter the domain only, without https:// or a path, for example safeharboursupport.com." };
  }
  if (text.includes("@")) {
    const domain = text.slice(text.lastIndexOf("@") + 1);
    return { message: `Enter the domain only: the part after @${domain ? `, ${domain}` : ""}.` };
  }
  text = text.replace(/\.$/, "").toLowerCase();
  if (parseIPv4(text) || parseIPv6(text)) {
    return { message: "That is an IP address: enter the domain your email comes from, for example safeharboursupport.com." };
  }
  let ascii;
  try {
    ascii = new URL(`http://${text}`).hostname; // IDNA: bücher.de becomes xn--bcher-kva.de
  } catch {
    return { message: `“${text}” is not a domain name: use letters, digits, hyphens and dots, for example safeharboursupport.com.` };
  }
  const labels = ascii.split(".");
  const valid = ascii.length <= 253 && labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) && !/^\d+$/.test(labels.at(-1));
  if (!valid || ascii !== text && !/[^\x00-\x7f]/.test(text)) {
    return { message: `“${text}” is not a domain name: use letters, digits, hyphens and dots, for example safeharboursupport.com.` };
  }
  if (RESERVED_DOMAINS.test(ascii)) {
    return { message: `${text} is reserved for examples and testing: enter the domain your email comes from.` };
  }
  return { value: text };
}

/** The four bytes of a dotted-quad IPv4 address, or null. Leading zeros are refused (some read them as octal). */
export function parseIPv4(text) {
  const parts = String(text).split(".");
  if (parts.length !== 4) return null;
  const bytes = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes.push(Number(part));
  }
  return bytes;
}

/** The eight 16-bit groups of an IPv6 address (with :: and an embedded IPv4 tail), or null. */
export function parseIPv6(text) {
  text = String(text);
  if (!/^[0-9a-f:.]+$/i.test(text) || (text.match(/::/g) || []).length > 1 || /:::/.test(text)) return null;
  if (text.includes(".")) {
    const at = text.lastIndexOf(":");
    const v4 = parseIPv4(text.slice(at + 1));
    if (!v4) return null;
    text = `${text.slice(0, at + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const group = (g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN);
  const split = (part) => (part ? part.split(":").map(group) : []);
  if (!text.includes("::")) {
    const words = split(text);
    return words.length === 8 && !words.some(Number.isNaN) ? words : null;
  }
  const [left, right] = text.split("::").map(split);
  const missing = 8 - left.length - right.length;
  if (missing < 1 || [...left, ...right].some(Number.isNaN)) return null;
  return [...left, ...Array(missing).fill(0), ...right];
}

/** RFC 5952 text of an IPv6 address: lower case, no leading zeros, the longest run of zero groups as ::. */
export function formatIPv6(words) {
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = Math.max(i, j);
  }
  const hex = words.map((w) => w.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
}

const inV4 = (bytes, base, bits) => {
  const value = (b) => ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((value(bytes) & mask) >>> 0) === ((value(base.split(".").map(Number)) & mask) >>> 0);
};

// Addresses no mail server on the internet sends from (IANA special-purpose registries), and what they are.
const V4_SPECIAL = [
  ["0.0.0.0", 8, "a “this network” address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a shared (carrier-grade NAT) address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "reserved for protocol assignments"],
  ["192.0.2.0", 24, "reserved for documentation"],
  ["192.88.99.0", 24, "a retired relay address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "reserved for benchmarking"],
  ["198.51.100.0", 24, "reserved for documentation"],
  ["203.0.113.0", 24, "reserved for documentation"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];

/** Why an IPv4 address cannot be a mail server's public address, or null when it can. */
export function specialIPv4(bytes) {
  const found = V4_SPECIAL.find(([base, bits]) => inV4(bytes, base, bits));
  return found ? `${found[2]} (${found[0]}/${found[1]})` : null;
}

/** Why an IPv6 address cannot be a mail server's public address, or null when it can. */
export function specialIPv6(words) {
  const binary = (groups) => [...groups, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8).map((w) => w.toString(2).padStart(16, "0")).join("");
  const prefix = (value, bits) => binary(words).slice(0, bits) === binary(value).slice(0, bits);
  if (words.every((w) => w === 0)) return "the unspecified address (::)";
  if (words.slice(0, 7).every((w) => w === 0) && words[7] === 1) return "the loopback address (::1)";
  if (prefix([0, 0, 0, 0, 0, 0xffff], 96)) return "an IPv4-mapped address (::ffff:0:0/96): enter the IPv4 address itself";
  if (prefix([0xfe80], 10)) return "a link-local address (fe80::/10)";
  if (prefix([0xfc00], 7)) return "a unique local (private) address (fc00::/7)";
  if (prefix([0xff00], 8)) return "a multicast address (ff00::/8)";
  if (prefix([0x2001, 0x0db8], 32)) return "reserved for documentation (2001:db8::/32)";
  if (prefix([0x3fff], 20)) return "reserved for documentation (3fff::/20)";
  if (prefix([0x2001], 23)) return "reserved for protocol assignments (2001::/23)";
  if (!prefix([0x2000], 3)) return "outside the global unicast range (2000::/3)";
  return null;
}

/**
 * A list of mail servers' IP addresses, separated by commas, spaces or new lines:
 * {addresses} in canonical form (duplicates dropped) and {problems}, one message per entry that is wrong.
 */
export function parseAddresses(text) {
  const addresses = [];
  const problems = [];
  for (const raw of String(text).split(/[\s,;]+/).filter(Boolean)) {
    const entry = raw.replace(/^\[(.*)\]$/, "$1");
    if (entry.includes("/")) {
      problems.push(`${raw} is a range: enter each mail server's address on its own.`);
      continue;
    }
    if (entry.includes("%")) {
      problems.push(`${raw} has a zone (%…), which only a local network uses: iCloud sees your mail server's public address. Enter that.`);
      continue;
    }
    const v4 = parseIPv4(entry);
    const v6 = v4 ? null : parseIPv6(entry);
    if (!v4 && !v6) {
      problems.push(/^\d+(\.\d+){3}$/.test(entry) && !/(^|\.)0\d/.test(entry)
        ? `${raw} is not an IPv4 address: each of its four numbers must be 0 to 255.`
        : /(^|\.)0\d/.test(entry) && entry.split(".").length === 4
          ? `${raw} has a number with a leading zero: write it without (for example 10, not 010).`
          : `${raw} is not an IPv4 or IPv6 address.`);
      continue;
    }
    const special = v4 ? specialIPv4(v4) : specialIPv6(v6);
    if (special) {
      problems.push(`${raw} is ${special}. iCloud sees your mail server's public address: enter that.`);
      continue;
    }
    const canonical = v4 ? v4.join(".") : formatIPv6(v6);
    if (!addresses.includes(canonical)) addresses.push(canonical);
  }
  return { addresses, problems };
}

/** The known rejections found in pasted SMTP errors (`codes` as the page embeds them), in their file order. */
export function recognise(text, codes) {
  return codes.filter((code) => new RegExp(code.pattern, "i").test(String(text)));
}

/**
 * One field's value checked: {value} as it goes in the email and {message} when it is wrong.
 * `field` is {label, kind, required}.
 */
export function checkField(field, input) {
  const text = String(input ?? "").replace(/\r\n|\r/g, "\n");
  const trimmed = field.kind === "text" || field.kind === "domain" ? text.trim() : text.replace(/^\s*\n|\s+$/g, "");
  if (!trimmed.trim()) {
    return field.required ? { value: "", message: "This field is required." } : { value: "" };
  }
  if (field.kind === "domain") {
    const result = checkDomain(trimmed);
    return result.message ? { value: trimmed, message: result.message } : { value: result.value };
  }
  if (field.kind === "ip-addresses") {
    const { addresses, problems } = parseAddresses(trimmed);
    return problems.length ? { value: trimmed, message: problems.join("\n") } : { value: addresses.join(", ") };
  }
  return { value: trimmed };
}

/** The email's body: each label with its value; values of several lines go under their label. */
export function composeBody(entries) {
  const blocks = [];
  for (const { label, value, multiline } of entries) {
    const several = (multiline || value.includes("\n")) && value !== "";
    const block = several ? `${label}:\n${value}` : `${label}:${value ? ` ${value}` : ""}`;
    const last = blocks.at(-1);
    // A block of several lines stands apart; one-line entries sit together.
    if (last && !several && !last.several) last.text += `\n${block}`;
    else blocks.push({ text: block, several });
  }
  return blocks.map((b) => b.text).join("\n\n");
}

/** The whole email as plain text, for copying: recipient, subject, then the body. */
export function emailText(recipient, subject, body) {
  return `To: ${recipient}\nSubject: ${subject}\n\n${body}`;
}

/**
 * State of a whole form: per-field results, the body, the link, and what is still needed. Past MAILTO_LIMIT no
 * link carries the body (an email app may cut it short): `href` then carries only the subject, `tooLong` is
 * set, and the reader copies the text and pastes it in. `linkLength` is the length the full link would have.
 */
export function composeEmail(form, inputs) {
  const results = form.fields.map((field, i) => ({ field, ...checkField(field, inputs[i]) }));
  const body = composeBody(results.map(({ field, value }) => ({
    label: field.label, value, multiline: field.kind !== "text" && field.kind !== "domain" && field.kind !== "ip-addresses",
  })));
  const full = mailtoHref(form.recipient, form.subject, body);
  const tooLong = full.length > MAILTO_LIMIT;
  const pending = results.filter((r) => r.message).map((r) => r.field.label);
  return { results, body, href: tooLong ? mailtoHref(form.recipient, form.subject) : full, linkLength: full.length,
    valid: pending.length === 0, pending, tooLong, text: emailText(form.recipient, form.subject, body) };
}

// DOM wiring

const READY = "kbFormReady";

/** Wire one form; doing it twice is harmless (instant navigation may hand the same page again). */
export function initForm(root) {
  if (root.dataset[READY]) return;
  root.dataset[READY] = "true";
  const app = root.querySelector("[data-kb-app]");
  const inputs = [...root.querySelectorAll("[data-kb-field]")];
  const open = root.querySelector("[data-kb-open]");
  const preview = root.querySelector("[data-kb-preview]");
  const pending = root.querySelector("[data-kb-pending]");
  const length = root.querySelector("[data-kb-length]");
  const copied = root.querySelector("[data-kb-copied]");
  const copy = root.querySelector("[data-kb-copy]");
  const openText = open.textContent;
  const fallback = open.getAttribute("href");
  const codes = JSON.parse(root.dataset.kbCodes || "[]");
  const form = {
    recipient: root.dataset.recipient,
    subject: root.dataset.subject,
    fields: inputs.map((el) => ({ label: el.dataset.label, kind: el.dataset.kind, required: "required" in el.dataset })),
  };
  const edited = new Set();
  const touched = new Set(); // errors show once the reader has left a field they edited
  let state = null;

  const update = () => {
    state = composeEmail(form, inputs.map((el) => el.value));
    state.results.forEach((result, i) => showField(root, inputs[i], touched.has(inputs[i]) ? result.message : null, codes));
    preview.textContent = state.body;
    // The link keeps an href (the served one has the subject): it is a real link even while hidden.
    open.href = state.valid ? state.href : fallback;
    open.hidden = !state.valid;
    pending.textContent = state.valid ? "" : `To open the email in your email app, first complete: ${state.pending.join(", ")}.`;
    const long = state.tooLong;
    open.textContent = long ? `${openText}, then paste the text` : openText;
    length.textContent = long
      ? `This email is too long for a link to your email app (${state.linkLength.toLocaleString("en-GB")} ` +
        `characters; some email apps cut links past ${MAILTO_LIMIT.toLocaleString("en-GB")} short or refuse them). ` +
        `Copy it with “Copy email text”, then use “${open.textContent}”: it opens an email to ${form.recipient} ` +
        `with the subject, for you to paste the text into.`
      : "";
    // Past the limit, copying is the way to send: the link only opens an email to paste into.
    open.classList.toggle("md-button--primary", !long);
    copy.classList.toggle("md-button--primary", long);
    copied.textContent = "";
  };

  for (const el of inputs) {
    el.addEventListener("input", () => { edited.add(el); update(); });
    el.addEventListener("blur", () => { if (edited.has(el)) touched.add(el); update(); });
  }
  copy.addEventListener("click", async () => {
    inputs.forEach((el) => touched.add(el));
    update();
    const ok = await copyText(state.text);
    copied.textContent = ok
      ? `Email text copied. Paste it into a new email to ${form.recipient}.`
      : "Your browser did not allow copying: select the preview above and copy it.";
  });
  update();
  whenStyled(root, () => {
    app.hidden = false;
    root.querySelector(".kb-form__fallback").hidden = true;
  });
}

/**
 * The form's stylesheet, loaded by this script inside the form: no page waits for it before its first paint
 * (only the script shows the form), and instant navigation, which swaps the content, carries it along.
 * `reveal` runs once it has loaded (or failed: an unstyled form beats none).
 */
function whenStyled(root, reveal) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("../stylesheets/kb-form.css", import.meta.url).href;
  link.addEventListener("load", reveal, { once: true });
  link.addEventListener("error", reveal, { once: true });
  root.prepend(link);
}

function showField(root, el, message, codes) {
  const error = root.querySelector(`#${CSS.escape(el.id)}-error`);
  const help = root.querySelector(`#${CSS.escape(el.id)}-help`);
  const hints = root.querySelector(`#${CSS.escape(el.id)}-hints`);
  error.textContent = message || "";
  error.hidden = !message;
  if (message) el.setAttribute("aria-invalid", "true");
  else el.removeAttribute("aria-invalid");
  if (hints) showHints(hints, recognise(el.value, codes));
  const described = [help && help.id, message && error.id, hints && hints.childElementCount && hints.id].filter(Boolean);
  if (described.length) el.setAttribute("aria-describedby", described.join(" "));
  else el.removeAttribute("aria-describedby");
}

function showHints(container, found) {
  const key = found.map((c) => c.code).join("\n");
  if (container.dataset.shown === key) return; // unchanged: leave the live region quiet
  container.dataset.shown = key;
  container.replaceChildren(...found.map((code) => {
    const item = document.createElement("div");
    item.className = `kb-form__hint kb-form__hint--${code.needs_ticket ? "block" : "other"}`;
    const head = document.createElement("p");
    const name = document.createElement("strong");
    name.textContent = `Recognised: ${code.code}.`;
    head.append(name, ` ${code.verdict}.`);
    const text = document.createElement("p");
    text.textContent = `${code.meaning} ${code.next_step}`;
    item.append(head, text);
    return item;
  }));
}

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // refused or unavailable: fall back to the older way below
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function initAll() {
  document.querySelectorAll("[data-kb-form]").forEach(initForm);
}

if (typeof document !== "undefined") {
  // Material's document$ emits on the first load and after every instant navigation.
  if (typeof window.document$ !== "undefined") window.document$.subscribe(initAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
}
