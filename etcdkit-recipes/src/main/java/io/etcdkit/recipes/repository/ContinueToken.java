package io.etcdkit.recipes.repository;

import io.etcdkit.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a paged listing continues: the revision all its pages are read at and the id of the last resource
 * looked at, bound to the repository's prefix. Encoded as URL-safe base64 so it can travel in a URL.
 *
 * @param revision the pinned revision
 * @param lastId the id of the last resource the previous page looked at
 */
record ContinueToken(long revision, String lastId) {
    private static final String VERSION = "1";

    String encode(String root) {
        String text = VERSION + "\n" + revision + "\n" + lastId + "\n" + root;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a token issued by a listing of the repository under {@code root}.
     *
     * @throws InvalidArgumentException when the token is malformed or was issued by another repository
     */
    static ContinueToken decode(String token, String root) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", 4);
        } catch (IllegalArgumentException e) {
            throw invalid(token, "it is not URL-safe base64");
        }
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            throw invalid(token, "it is not a continue token of this version of etcdkit");
        }
        if (!parts[3].equals(root)) {
            throw invalid(token, "it was issued by the repository under '" + parts[3] + "', not '" + root + "'");
        }
        long revision;
        try {
            revision = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw invalid(token, "its revision is not a number");
        }
        if (revision <= 0) {
            throw invalid(token, "its revision is not positive");
        }
        ResourceKeys.checkId(parts[2]);
        return new ContinueToken(revision, parts[2]);
    }

    private static InvalidArgumentException invalid(String token, String why) {
        return new InvalidArgumentException("invalid continue token \"" + token + "\": " + why + ". Pass the "
                + "token of the previous page unchanged, or start the listing again without a token");
    }
}
