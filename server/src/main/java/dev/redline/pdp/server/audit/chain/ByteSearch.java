package dev.redline.pdp.server.audit.chain;

/** Finds bytes in bytes: lets readers skip lines without parsing them. */
public final class ByteSearch {
    private ByteSearch() {}

    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
