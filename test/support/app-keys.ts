/** A fresh RSA key pair for a test GitHub App (PKCS#8 private key, as Probot accepts it). */
import { generateKeyPairSync } from "node:crypto";

export function generateAppKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { privateKey, publicKey };
}
