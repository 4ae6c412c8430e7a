package dev.atomic.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code manifests/<release>.sig}: the Ed25519 signature and the fingerprint of the key that made it. The fingerprint
 * is only a hint for the error message: trust comes from a trusted key verifying the signature, never from this file.
 */
record SignatureFile(String keyFingerprint, byte[] signature) {

    static final long MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] toJson() {
        return ("{\"algorithm\": \"" + Keys.ALGORITHM + "\", \"key\": \"" + keyFingerprint + "\", \"signature\": \""
                + Base64.getEncoder().encodeToString(signature) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
    }

    static SignatureFile parse(byte[] json, String release) {
        String what = "signature of manifest '" + release + "'";
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject() || !fieldNames(n).equals(Set.of("algorithm", "key", "signature"))) {
                throw new VaultException(what + " must be an object with exactly 'algorithm', 'key' and 'signature'");
            }
            if (!Keys.ALGORITHM.equals(n.get("algorithm").asText())) {
                throw new VaultException(what + " uses algorithm '" + n.get("algorithm").asText() + "'; only "
                        + Keys.ALGORITHM + " is accepted");
            }
            String key = n.get("key").asText();
            if (!Sha256.isHash(key)) {
                throw new VaultException(what + ": 'key' must be a key fingerprint (64 lowercase hex digits)");
            }
            byte[] sig = Base64.getDecoder().decode(n.get("signature").asText());
            if (sig.length != 64) {
                throw new VaultException(what + " is " + sig.length + " bytes; an Ed25519 signature is 64");
            }
            return new SignatureFile(key, sig);
        } catch (IOException e) {
            throw new VaultException(what + " is not valid JSON: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new VaultException(what + " holds broken base64: " + e.getMessage(), e);
        }
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new HashSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
