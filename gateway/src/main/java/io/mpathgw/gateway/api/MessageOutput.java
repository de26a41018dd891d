package io.mpathgw.gateway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a message printed ("" for every multipath message but a few). */
@Schema(name = "MessageOutput", description = "The message's output, as dmsetup message prints it (usually empty).")
public record MessageOutput(String output) {
}
