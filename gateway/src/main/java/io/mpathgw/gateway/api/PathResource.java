package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.PathView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Paths: multipathd's {@code show paths}, {@code fail path}, {@code reinstate path}. */
@Path("/api/v1/paths")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "paths", description = "Paths (one LUN on one iSCSI session) and the operator's fail/reinstate")
public class PathResource {

    @Inject
    GatewayControl control;
    @Inject
    Actions actions;

    @GET
    @Operation(summary = "Every path", description = "multipathd show paths: each path of each map, and paths in no map (map \"\").")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PathView.class, type = SchemaType.ARRAY)))
    public List<PathView> paths() {
        return control.paths();
    }

    @GET
    @Path("{dev}")
    @Operation(summary = "One path", description = "The path named {dev} (\"sdb\").")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PathView.class)))
    @APIResponse(responseCode = "404", description = "no such path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public PathView path(@PathParam("dev") @Parameter(description = "the path's device name, as in show paths") String dev) {
        return find(dev);
    }

    @POST
    @Path("{dev}/fail")
    @Operation(summary = "multipathd fail path DEV", description = "fail_path on the path's map; the checker leaves it failed until reinstated.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "404", description = "no such path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "the path belongs to no map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> fail(@PathParam("dev") String dev) {
        find(dev);
        return actions.run("fail path " + dev, () -> control.failPath(dev));
    }

    @POST
    @Path("{dev}/reinstate")
    @Operation(summary = "multipathd reinstate path DEV", description = "The checker watches the path again and reinstate_path puts it back.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "404", description = "no such path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "the path belongs to no map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> reinstate(@PathParam("dev") String dev) {
        find(dev);
        return actions.run("reinstate path " + dev, () -> control.reinstatePath(dev));
    }

    private PathView find(String dev) {
        for (PathView p : control.paths())
            if (p.dev().equals(dev)) return p;
        throw ControlException.notFound("no path named '" + dev + "'");
    }
}
