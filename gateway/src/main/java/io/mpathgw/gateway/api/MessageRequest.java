package io.mpathgw.gateway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/maps/{map}/message}: what {@code dmsetup message MAP SECTOR TEXT} takes. */
@Schema(name = "MessageRequest", description = "A device-mapper target message, as `dmsetup message MAP SECTOR MESSAGE`.")
public record MessageRequest(
        @Schema(description = "the sector argument of dmsetup message (multipath ignores it; 0)", example = "0",
                defaultValue = "0") Long sector,
        @Schema(required = true, description = "the message text as the kernel's multipath target parses it",
                example = "fail_path 8:16") String message) {
}
