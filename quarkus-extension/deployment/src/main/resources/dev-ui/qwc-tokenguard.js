import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/button';
import '@vaadin/text-area';
import '@qomponent/qui-card';

/**
 * TokenGuard's Dev UI page: the effective configuration (secrets masked), the health of the issuers' keys and of the
 * user API, a token explainer, and a form minting tokens from the Dev Services issuer.
 */
export class QwcTokenguard extends LitElement {
  jsonRpc = new JsonRpc(this);

  static styles = css`
    :host { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 1em; padding: 10px; }
    .content { padding: 10px; display: flex; flex-direction: column; gap: 8px; }
    table { border-collapse: collapse; width: 100%; }
    td { padding: 2px 6px; vertical-align: top; word-break: break-all; }
    td.key { color: var(--lumo-contrast-60pct); white-space: nowrap; }
    .up { color: var(--lumo-success-text-color); }
    .down { color: var(--lumo-error-text-color); }
    pre { white-space: pre-wrap; word-break: break-all; margin: 0; }
  `;

  static properties = {
    _config: { state: true },
    _health: { state: true },
    _explained: { state: true },
    _minted: { state: true },
    _error: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this.jsonRpc.getConfiguration().then(r => { this._config = r.result; });
    this._refreshHealth();
  }

  _refreshHealth() {
    this.jsonRpc.getHealth().then(r => { this._health = r.result; });
  }

  _explain() {
    const token = this.shadowRoot.getElementById('token').value;
    this.jsonRpc.explain({ token: token }).then(r => { this._explained = r.result; });
  }

  _mint() {
    const claims = this.shadowRoot.getElementById('claims').value;
    this.jsonRpc.mint({ claims: claims })
      .then(r => { this._minted = JSON.parse(r.result).access_token; this._error = null; })
      .catch(e => { this._error = e.error ? e.error.message : String(e); });
  }

  render() {
    return html`
      <qui-card header="Configuration"><div slot="content" class="content">
        <table>${Object.entries(this._config || {}).map(([k, v]) => html`<tr><td class="key">${k}</td><td>${v}</td></tr>`)}</table>
      </div></qui-card>
      <qui-card header="Keys and user API"><div slot="content" class="content">
        ${(this._health || []).map(c => html`
          <div><span class="${c.up ? 'up' : 'down'}">${c.up ? 'UP' : 'DOWN'}</span> ${c.name}</div>
          <table>${Object.entries(c.details).map(([k, v]) => html`<tr><td class="key">${k}</td><td>${v}</td></tr>`)}</table>`)}
        <vaadin-button @click=${() => this._refreshHealth()}>Refresh</vaadin-button>
      </div></qui-card>
      <qui-card header="Explain a token"><div slot="content" class="content">
        <vaadin-text-area id="token" label="Access token (with or without 'Bearer ')"></vaadin-text-area>
        <vaadin-button @click=${() => this._explain()}>Explain</vaadin-button>
        ${this._explained ? html`
          <table>${this._explained.steps.map(s => html`<tr><td class="${s.passed ? 'up' : 'down'}">${s.passed ? 'PASS' : 'FAIL'}</td><td class="key">${s.name}</td><td>${s.detail}</td></tr>`)}</table>
          <pre>${this._explained.valid ? 'VALID: ' + JSON.stringify(this._explained.caller, null, 2) : 'INVALID: ' + this._explained.refusal}</pre>` : ''}
      </div></qui-card>
      <qui-card header="Mint a dev token (Dev Services issuer)"><div slot="content" class="content">
        <vaadin-text-area id="claims" label="Claims (JSON object)" value='{"sub": "alice", "permissions": ["orders:read"]}'></vaadin-text-area>
        <vaadin-button @click=${() => this._mint()}>Mint</vaadin-button>
        ${this._minted ? html`<pre>${this._minted}</pre>` : ''}
        ${this._error ? html`<pre class="down">${this._error}</pre>` : ''}
      </div></qui-card>
    `;
  }
}
customElements.define('qwc-tokenguard', QwcTokenguard);
