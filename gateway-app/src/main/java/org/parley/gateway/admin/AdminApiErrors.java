package org.parley.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;

/**
 * The admin API's error answers: the status and the reason in the body. Spring Boot's default error
 * body leaves the reason out ({@code server.error.include-message=never}), so an operator would get
 * "Bad Request" and have to guess which value was wrong.
 */
@RestControllerAdvice(assignableTypes = AdminApiController.class)
class AdminApiErrors {

    @ExceptionHandler(TranslationFilters.BadQuery.class)
    ResponseEntity<Map<String, Object>> badQuery(TranslationFilters.BadQuery e, HttpServletRequest request) {
        return answer(HttpStatus.BAD_REQUEST, e.getMessage(), request);
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> status(ResponseStatusException e, HttpServletRequest request) {
        return answer(e.getStatusCode(), e.getReason(), request);
    }

    /** A POST body that is not the JSON object the dry run takes. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return answer(HttpStatus.BAD_REQUEST, AdminApiController.TRANSLATE_USAGE + " (the body is not that JSON object)", request);
    }

    private static ResponseEntity<Map<String, Object>> answer(HttpStatusCode status, String reason, HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status instanceof HttpStatus known ? known.getReasonPhrase() : "");
        body.put("reason", reason);
        body.put("path", request.getRequestURI());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
