package dev.redline.pdp.server.audit;

/** Finds bytes in bytes: lets readers skip lines without parsing them. */
final class ByteSearch {
    private ByteSearch() {}

    static boolean contains(byte[] haystack, byte[] needle) {
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
