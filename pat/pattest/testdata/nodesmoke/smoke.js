// Smoke test of the emulator with Snowflake's official Node.js driver,
// unmodified. Run by TestNodeDriverSmoke (node_smoke_test.go), which starts
// the emulator and passes its address in the environment. It logs in with a
// password, adds a token, lists tokens (SHOW timestamps are formatted from
// the session parameters), logs in with the token through the PAT
// authenticator, and prints one JSON line with what it saw.
'use strict';
const snowflake = require('snowflake-sdk');

snowflake.configure({ logLevel: 'OFF', disableOCSPChecks: true });

function connect(options) {
  const conn = snowflake.createConnection(Object.assign({
    accessUrl: process.env.SNOWPAT_URL,
    account: process.env.SNOWPAT_ACCOUNT,
    username: 'NODE_USER',
  }, options));
  return new Promise((resolve, reject) =>
    conn.connect((err, c) => (err ? reject(err) : resolve(c))));
}

function run(conn, sqlText) {
  return new Promise((resolve, reject) =>
    conn.execute({ sqlText, complete: (err, stmt, rows) => (err ? reject(err) : resolve(rows)) }));
}

function close(conn) {
  return new Promise((resolve) => conn.destroy(() => resolve()));
}

(async () => {
  const out = {};
  const admin = await connect({ password: 'pw' });
  out.user = (await run(admin, 'SELECT CURRENT_USER() AS U'))[0].U;
  const added = (await run(admin, 'ALTER USER NODE_USER ADD PAT NODE_TOKEN ROLE_RESTRICTION = \'PUBLIC\''))[0];
  out.tokenName = added.token_name;
  const shown = await run(admin, 'SHOW USER PATS FOR USER NODE_USER');
  out.shown = shown.map((r) => ({ name: r.name, status: r.status, expiresAt: String(r.expires_at) }));
  try {
    await run(admin, 'ALTER USER NODE_USER REMOVE PAT NOT_THERE');
  } catch (err) {
    out.notFound = { code: err.code, message: err.message };
  }
  await close(admin);

  const viaPAT = await connect({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: added.token_secret });
  out.patRole = (await run(viaPAT, 'SELECT CURRENT_ROLE() AS R'))[0].R;
  await close(viaPAT);
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
