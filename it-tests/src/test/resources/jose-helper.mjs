// Signs test tokens with the npm package `jose`, an implementation independent of Nimbus (the library under
// test), so a bug shared by signer and verifier cannot hide. Protocol: one JSON request per line on stdin, one
// JSON answer per line on stdout.
//   {"op":"keys","alg":"ES256"}                      -> {"private":{jwk},"public":{jwk}}
//   {"op":"sign","alg":"ES256","key":{private jwk},"header":{...},"payload":"text"} -> {"token":"..."}
//   {"op":"thumbprint","jwk":{public jwk}}            -> {"thumbprint":"..."} (RFC 7638, SHA-256)
import * as jose from 'jose';
import readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  let answer;
  try {
    const req = JSON.parse(line);
    if (req.op === 'keys') {
      const options = req.alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true };
      const { publicKey, privateKey } = await jose.generateKeyPair(req.alg, options);
      answer = { private: await jose.exportJWK(privateKey), public: await jose.exportJWK(publicKey) };
    } else if (req.op === 'sign') {
      const key = await jose.importJWK(req.key, req.alg);
      const token = await new jose.CompactSign(new TextEncoder().encode(req.payload))
        .setProtectedHeader({ ...req.header, alg: req.alg })
        .sign(key);
      answer = { token };
    } else if (req.op === 'thumbprint') {
      answer = { thumbprint: await jose.calculateJwkThumbprint(req.jwk, 'sha256') };
    } else {
      answer = { error: 'unknown op ' + req.op };
    }
  } catch (e) {
    answer = { error: String(e && e.message || e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
