package dev.captioner.data;

/**
 * Image names as dataset files give them ({@code file_name} of a COCO file, {@code filepath/filename} of a
 * Karpathy split) must stay inside the image folder they are resolved against. A name that is absolute or
 * climbs out with {@code ..} would let a downloaded dataset file make the reader open any file on the
 * machine ({@code /etc/passwd}, {@code ../../../../home/me/.ssh/id_rsa}); every reader refuses it, so that
 * the CLI, a service and a batch job reading the same files all get the same one-line refusal.
 */
public final class ImagePaths {
    private ImagePaths() {}

    /**
     * Why {@code name} cannot be an image path below the image folder, or null where it can: it must be
     * relative (no leading {@code /} or {@code \}, no drive letter such as {@code C:}), hold no {@code ..}
     * segment and no NUL character. Both {@code /} and {@code \} count as separators, whatever the system.
     */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.indexOf('\0') >= 0) {
            return "holds a NUL character";
        }
        if (name.startsWith("/") || name.startsWith("\\") || name.startsWith("~")
                || (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)))) {
            return "is absolute, but image paths must be relative to the image folder";
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "climbs out of the image folder with \"..\"";
            }
        }
        return null;
    }
}
