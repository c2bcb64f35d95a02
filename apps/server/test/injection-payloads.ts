/**
 * The injection corpus: strings an attacker puts wherever a request takes text —
 * filter values, operators and field names, sort and fields, ids, object names,
 * file names. SQL (classic, blind, time-based with pg_sleep, stacked, comment
 * and quote tricks, PostgreSQL specifics), unicode tricks, path traversal, and
 * JSON/JS specials. Every one must come back as a 4xx or a literal match.
 */
const SLEEP = 'pg_sleep(3)';

export const SQL_PAYLOADS = [
  "' OR '1'='1", "' OR 1=1 --", "\" OR \"1\"=\"1", "' OR ''='", "admin'--", "admin' #", "') OR ('1'='1", "1 OR 1=1", "1' OR '1'='1' /*",
  "'; DROP TABLE o_customer; --", "'; DROP TABLE audit_log CASCADE; --", "1; DELETE FROM app_user", "'; TRUNCATE audit_log; --",
  "'; UPDATE app_user SET is_admin = true; --", "'; INSERT INTO role_permission VALUES (1); --", "x'; COMMIT; BEGIN; --",
  `'; SELECT ${SLEEP}; --`, `1; SELECT ${SLEEP}`, `'||${SLEEP}||'`, `' AND ${SLEEP} IS NOT NULL --`, `(SELECT ${SLEEP})`, `1) AND (SELECT 1 FROM ${SLEEP}) --`,
  `$$; SELECT ${SLEEP}; $$`, `$tag$ ${SLEEP} $tag$`, `E'\\x27; SELECT ${SLEEP}; --'`, `U&'\\0027'; SELECT ${SLEEP}; --`, `'::text; SELECT ${SLEEP}; --`,
  `' UNION SELECT password_hash FROM app_user --`, "' UNION ALL SELECT NULL,NULL,NULL --", "' UNION SELECT token_hash FROM auth_session --",
  "' AND 1=CAST((SELECT current_user) AS int) --", "' AND extractvalue(1, concat(0x7e, version())) --", "1' AND SLEEP(3)#", "'; WAITFOR DELAY '0:0:3' --",
  "'; COPY (SELECT 1) TO PROGRAM 'touch /tmp/pwned'; --", "'; CREATE ROLE evil SUPERUSER; --", "'; SET ROLE mosaic_owner; --", "'; RESET ROLE; --",
  "'; SELECT set_config('mosaic.tenant_id', '00000000-0000-0000-0000-000000000000', false); --", "' OR tenant_id IS NOT NULL --",
  "%' OR '%'='", "%", "_", "%%", "\\", "\\'", "\\\\'", "''", "'", "\"", "`", "';", "--", "/*", "*/", ";", "\\x00", "\\0",
  "1e999999999", "-1", "0x7fffffff", "9223372036854775808", "NaN", "Infinity", "null", "true", "[]", "{}", "1.0e-400",
  "SELECT", "DROP", "pg_catalog.pg_user", "information_schema.tables", "mosaic.app_user", "current_setting('mosaic.tenant_id')",
  "lo_import('/etc/passwd')", "pg_read_file('/etc/passwd')", "dblink('host=evil', 'select 1')", "version()", "now()",
  "name = name", "1=1", "' IS NULL OR '", "ARRAY[1]", "ANY(ARRAY['a'])", "'a' ~ '.*'", "'; LISTEN x; NOTIFY mosaic_meta, 'x'; --",
  "' or pg_terminate_backend(pg_backend_pid()) --", "'; ALTER TABLE o_customer DISABLE ROW LEVEL SECURITY; --",
];

export const UNICODE_PAYLOADS = [
  "＇ OR １=１ --", "ʼ OR 1=1 --", "‘ OR ‘1’=‘1", "\u2019; DROP TABLE x; --", "\u202eDROP TABLE\u202c", "na\u200bme", "\u200b", "\ufeff",
  "сustomer", "ｃｕｓｔｏｍｅｒ", "name\u0000", "\u0000", "\u0001\u0002\u0003", "a\nb\rc\td", "\r\n\r\nHTTP/1.1 200 OK", "😀", "𝕊𝔼𝕃𝔼ℂ𝕋",
  "e\u0301", "\ud800", "\udfff", "ﬁeld", "ǅ", "İstanbul", "ß", "\u00a0", "华为'; DROP TABLE o_customer; --", "客户\u0000名称", "مرحبا", "x".repeat(1001),
  "长".repeat(2000), "\\u0027 OR 1=1", "%27%20OR%201%3D1", "%2527", "&#39; OR 1=1", "&#x27;", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
  "{{7*7}}", "${7*7}", "#{7*7}", "=cmd|'/c calc'!A1", "@SUM(1+1)", "+1+1", "-2+3",
];

export const PATH_PAYLOADS = [
  "../../etc/passwd", "..\\..\\windows\\win.ini", "../../../../../../../../etc/shadow", "....//....//etc/passwd", "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%252e%252e%252fetc%252fpasswd", "..%c0%af..%c0%afetc%c0%afpasswd", "..%5c..%5cboot.ini", "/etc/passwd", "\\\\server\\share",
  "C:\\Windows\\System32\\config\\SAM", "file:///etc/passwd", "..", ".", "./", "../", ".../...//", "..;/", "/..;/admin", "foo/../../bar", "..\u2215..\u2215etc\u2215passwd",
  "\u2025/\u2025/etc/passwd", "．．／．．／etc／passwd", "data/pg/postgresql.conf", "../data/uploads/x", "uploads/../../../../proc/self/environ", "/proc/self/environ",
  "/dev/zero", "con", "aux.txt", "nul", "x.csv\u0000.exe", "a/b/c.csv", "~/.ssh/id_rsa", "$HOME/.bashrc", "| ls", "; ls -la", "`id`", "$(id)",
];

export const NAME_PAYLOADS = [
  "tenant_id", "password_hash", "c_name", "t.c_name", "\"name\"", "name\"--", "name;DROP", "NAME", "Name", "name ", " name", "name.", ".name", "name..id",
  "customer.name.name.name.name.name.name", "owner_id.password_hash", "owner_id.tenant_id", "owner_id.email.x", "__proto__", "constructor", "prototype",
  "toString", "hasOwnProperty", "name[0]", "name[]", "*", "id,*", "id) OR (1=1", "pg_sleep(3)", "count(*)", "1", "-", "--name", "-id;", "$title",
  "$id", "$s0", "id desc", "name ASC NULLS FIRST", "random()", "(SELECT 1)", "lines.item", "lines", "a".repeat(300),
];

export const OPERATOR_PAYLOADS = ["eq; DROP", "like", "ilike", "~", "~*", "= ANY", "||", "between'", "$where", "$ne", "isNull'", "EQ", "Eq", " eq", "in)", "regex", "similar", "@>", "&&"];

/** JSON filters with hostile shapes. */
export const FILTER_SHAPES: unknown[] = [
  { $where: 'sleep(3000)' }, { __proto__: { isAdmin: true } }, JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { x: 1 } } },
  { name: { eq: { var: "$user'; DROP" } } }, { field: 'owner_id', op: 'eq', value: { var: '$tenant' } }, { field: 'created_at', op: 'eq', value: { relative: "'; DROP" } },
  { field: 'name', op: 'in', value: Array(5000).fill('x') }, { field: 'name', op: 'eq', value: ['a', 'b'] }, { field: 'name', op: 'eq', value: { $gt: '' } },
  { and: Array(2000).fill({ name: 'x' }) }, nest(200), { or: [] }, { not: {} }, { field: 'name' }, { op: 'eq', value: 1 }, [], 'name', 1, null,
  { field: 'name', op: 'contains', value: { toString: 'x' } }, { field: 'id', op: 'eq', value: "' OR 1=1 --" }, { field: 'created_at', op: 'gt', value: "2026-01-01'; SELECT pg_sleep(3); --" },
  { field: 'credit_limit', op: 'gt', value: '1; SELECT pg_sleep(3)' }, { field: 'credit_limit', op: 'between', value: ['1', "2') OR ('1'='1"] },
];

function nest(depth: number): unknown {
  let node: unknown = { name: 'x' };
  for (let i = 0; i < depth; i++) node = { not: node };
  return node;
}

export const TEXT_PAYLOADS = [...SQL_PAYLOADS, ...UNICODE_PAYLOADS, ...PATH_PAYLOADS];
export const ALL_PAYLOADS = [...TEXT_PAYLOADS, ...NAME_PAYLOADS, ...OPERATOR_PAYLOADS];
