package dev.redline.pdp.server.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive hold on a directory one writer owns (the data directory, the decision log's
 * directory): an OS lock on {@value #FILE_NAME} in it, held for the life of the process or until
 * {@link #close}, with the holder's pid written in the file so a refused second writer can name it.
 * The lock keeps out writers only: readers never take it, so they read a live directory.
 * The OS drops it when the process dies, however it dies, so a crash leaves no stale lock.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "pdp.lock";

    /** The directory is held by another process (or another server in this one). */
    public static final class HeldException extends IOException {
        HeldException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (which must exist) for this process.
     *
     * @throws HeldException when another holds it; the message names the holder's pid
     */
    public static DirectoryLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another server in this JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw new HeldException(dir + " is in use by another PDP (" + holder + ", holding " + file
                    + "); stop it, or give this server a directory of its own");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new DirectoryLock(file, channel, lock);
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? "pid not yet written" : text;
        } catch (IOException e) {
            return "pid unreadable: " + e.getMessage();
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock; the file stays, and the next holder writes its own pid into it. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
