package io.mpathgw.scsi;

/**
 * Parameter data or sense data returned by a device does not parse: too short, a length field that runs past the
 * data, a reserved code where the caller needs a defined one. The message names the field, the value and what was
 * expected ({@code designator at offset 20: length 16 (expected: <= 8 bytes left in page 0x83)}).
 *
 * <p>A subclass of {@link IllegalArgumentException} so that callers that only care about "bad input" need not know
 * it; a hardware handler treats it as the kernel treats an unparsable RTPG answer: the command failed.
 */
public final class ScsiDataException extends IllegalArgumentException {

    public ScsiDataException(String message) {
        super(message);
    }
}
