package dev.spool.sample.shop;

import java.util.concurrent.RejectedExecutionException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the shop's refusals into RFC 9457 problem details with the status a client can act on. */
@RestControllerAdvice
public class ShopErrors {

    /** Makes the advice. */
    public ShopErrors() {
    }

    /**
     * Answers a refusal of the shop.
     *
     * @param refusal why the shop refused
     * @return the problem: 400, 402, 409 or 503 by kind
     */
    @ExceptionHandler(ShopException.class)
    public ProblemDetail refused(ShopException refusal) {
        HttpStatus status = switch (refusal) {
            case ShopException.UnknownProduct unknown -> HttpStatus.BAD_REQUEST;
            case ShopException.PaymentDeclined declined -> HttpStatus.PAYMENT_REQUIRED;
            case ShopException.CreditLimitExceeded over -> HttpStatus.PAYMENT_REQUIRED;
            case ShopException.OutOfStock soldOut -> HttpStatus.CONFLICT;
            case ShopException.StocktakeInProgress running -> HttpStatus.CONFLICT;
            case ShopException.Busy busy -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return problem(status, refusal.getClass().getSimpleName(), refusal.getMessage());
    }

    /**
     * Answers a request that is not well formed.
     *
     * @param invalid a malformed request
     * @return 400 with what to fix
     */
    @ExceptionHandler(IllegalArgumentException.class)
    public ProblemDetail invalid(IllegalArgumentException invalid) {
        return problem(HttpStatus.BAD_REQUEST, "InvalidRequest", invalid.getMessage());
    }

    /**
     * Answers a request that a pool could not take.
     *
     * @param refused a pool that refused work (queue full, shut down, broken)
     * @return 503: retry later
     */
    @ExceptionHandler(RejectedExecutionException.class)
    public ProblemDetail refused(RejectedExecutionException refused) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Busy", refused.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
