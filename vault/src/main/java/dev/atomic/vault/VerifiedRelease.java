package dev.atomic.vault;

/** A manifest whose signature a trusted key verified, and which key that was. */
public record VerifiedRelease(ReleaseManifest manifest, String keyName, String keyFingerprint) {

    /** "key 'release-2025' (ab12cd34ef56…)": how reports name the signer. */
    public String signer() {
        return "key '" + keyName + "' (" + Sha256.brief(keyFingerprint) + ")";
    }
}
