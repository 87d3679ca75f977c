/** The page a browser gets with a 401 from a server that requires a token: it stores the token in a cookie. */
export const loginPage = `<!doctype html><html><head><meta charset="utf-8"><title>Slipway: sign in</title>
<style>body{font:15px system-ui,sans-serif;display:grid;place-items:center;height:100vh;margin:0;background:#f6f7f9}form{background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 3px #0002;min-width:320px}input{width:100%;padding:8px;margin:8px 0 12px;box-sizing:border-box}button{padding:8px 16px}</style></head>
<body><form onsubmit="document.cookie='slipway_token='+encodeURIComponent(this.t.value)+'; path=/; SameSite=Strict';location.reload();return false">
<h2>Slipway</h2><p>This server requires an API token.</p><label>Token<input name="t" type="password" autocomplete="off" autofocus></label>
<button>Sign in</button><p style="color:#666;font-size:13px">Create one with <code>slipway tokens create --role viewer</code>.</p></form></body></html>`;
