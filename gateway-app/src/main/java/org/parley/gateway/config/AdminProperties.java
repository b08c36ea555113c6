package org.parley.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin API and translation trace.
 *
 * @param token      bearer token for /admin; empty: one is generated on start and written to the data directory
 * @param showBodies keep message bodies in traces (off: bodies are redacted)
 * @param traceSize  translations kept in memory
 */
public record AdminProperties(@DefaultValue("") String token, @DefaultValue("false") boolean showBodies,
                              @DefaultValue("10000") @Min(10) @Max(1_000_000) int traceSize) {
}
