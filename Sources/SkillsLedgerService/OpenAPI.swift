/// The OpenAPI 3.1 document of every route the service serves (`GET /openapi.yaml`, no token), written by hand next
/// to `Routes`; a test walks the router and this document both ways, so that neither lists a route the other lacks.
enum OpenAPI {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: SkillsLedger service
  version: "1"
  summary: The skills ledger over HTTP (skills-ledger serve)
  description: |
    Every answer is the CLI's `--format json` output of the same command (SPEC.md "Service"); errors are
    `{"error": message, "details": [...]}`. Writes accept an `Idempotency-Key`: the same request under the same key
    gets the first answer again (`Idempotency-Replayed: true`), another request under it 409.
servers:
  - url: http://127.0.0.1:8080
security:
  - bearer: []
tags:
  - name: ledger
  - name: entitlements
  - name: notices
  - name: finance
  - name: audits
paths:
  /healthz:
    get:
      operationId: health
      summary: Liveness
      security: []
      responses:
        "200":
          description: The service answers.
          content:
            application/json:
              schema:
                type: object
                required: [status]
                properties:
                  status: {const: ok}
  /openapi.yaml:
    get:
      operationId: openapi
      summary: This document
      security: []
      responses:
        "200":
          description: The OpenAPI 3.1 document.
          content:
            application/yaml:
              schema: {type: string}
  /v1/batches:
    post:
      operationId: submitBatch
      tags: [ledger]
      summary: Submit one atomic batch (institution, bureau), as `submit`
      description: An institution's rows take its own code as their source; a row outside the token's scope is 403 and nothing is recorded.
      parameters:
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          text/csv:
            schema: {type: string}
          application/x-ndjson:
            schema: {type: string}
      responses:
        "201":
          description: The batch receipt.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/BatchReceipt"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409": {$ref: "#/components/responses/Conflict"}
        "408": {$ref: "#/components/responses/Timeout"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/UnsupportedMediaType"}
        "422": {$ref: "#/components/responses/BadRows"}
        "503": {$ref: "#/components/responses/UploadsBusy"}
  /v1/workers/{id}:
    get:
      operationId: worker
      tags: [ledger]
      summary: A worker's history and entitlements (bureau, auditor), as `worker --format json`
      parameters:
        - $ref: "#/components/parameters/WorkerID"
        - $ref: "#/components/parameters/AsOf"
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/workers/{id}/credits:
    get:
      operationId: credits
      tags: [ledger]
      summary: A worker's credits (bureau, auditor), as `credits --format json`
      parameters:
        - $ref: "#/components/parameters/WorkerID"
        - $ref: "#/components/parameters/AsOf"
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/entitlements:
    get:
      operationId: entitlements
      tags: [entitlements]
      summary: A month's entitlements (bureau, finance, auditor), as `entitlements --format json`
      parameters:
        - $ref: "#/components/parameters/Jurisdiction"
        - $ref: "#/components/parameters/Month"
        - $ref: "#/components/parameters/AsOf"
      responses:
        "200":
          description: The entitlements with their explanations.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Entitlements"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/grants:
    post:
      operationId: grant
      tags: [entitlements]
      summary: Grant a month (bureau), as `grant`
      description: After the jurisdiction's first grant only the workers changed since are computed; the report's
        computed_workers, scope and scope_reason say which. all_workers=true computes every worker (the same grants).
      parameters:
        - $ref: "#/components/parameters/Jurisdiction"
        - $ref: "#/components/parameters/Month"
        - name: all_workers
          in: query
          required: false
          description: Compute every worker, as `grant --all-workers`.
          schema: {type: boolean, default: false}
        - $ref: "#/components/parameters/IdempotencyKey"
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409": {$ref: "#/components/responses/Conflict"}
  /v1/notices:
    post:
      operationId: publishNotice
      tags: [notices]
      summary: Publish a month's list for public notice (bureau), as `notice`
      description: |
        The body, when there is one, is the working-day calendar, as `notice --calendar FILE`; without it working days
        are Monday to Friday without holidays, as `notice` counts them without `--calendar`.
      parameters:
        - $ref: "#/components/parameters/Jurisdiction"
        - $ref: "#/components/parameters/Month"
        - name: from
          in: query
          required: true
          description: The notice's first day (1900–2200).
          schema: {type: string, format: date, pattern: "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}
        - name: days
          in: query
          required: false
          description: Working days, 1–30, instead of the packs' `notice.working_days` (5 when none says).
          schema: {type: integer, minimum: 1, maximum: 30}
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: false
        content:
          application/yaml:
            schema:
              type: object
              required: [year]
              properties:
                year: {type: integer}
                holidays: {type: array, items: {type: string, format: date}}
                workdays: {type: array, items: {type: string, format: date}}
      responses:
        "201":
          description: The notice, recorded.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Notice"}
        "200":
          description: The same notice was already recorded; nothing written.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Notice"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/UnsupportedMediaType"}
        "422": {$ref: "#/components/responses/BadRows"}
  /v1/notices/{jurisdiction}/{month}:
    get:
      operationId: notice
      tags: [notices]
      summary: The latest notice of a month (bureau)
      parameters:
        - $ref: "#/components/parameters/JurisdictionPath"
        - $ref: "#/components/parameters/MonthPath"
        - $ref: "#/components/parameters/Format"
      responses:
        "200":
          description: The notice, masked as it is posted.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Notice"}
            text/csv:
              schema: {type: string}
            text/html:
              schema: {type: string}
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
              schema: {type: string, contentEncoding: binary}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/objections:
    post:
      operationId: object
      tags: [notices]
      summary: Record an objection to an entitlement on a notice (bureau), as `object`
      parameters:
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [entitlement, reason]
              properties:
                entitlement: {type: string, pattern: "^[0-9A-Za-z._:-]{1,64}$"}
                reason: {type: string, maxLength: 2000, allOf: [{pattern: "\\S"}, {pattern: "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"}], description: "Why; some text besides spaces, without control characters (tab and newline allowed)."}
      responses:
        "201":
          description: The objection, recorded.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/NoticeAction"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
  /v1/objections/{entitlement}/resolution:
    post:
      operationId: resolve
      tags: [notices]
      summary: Resolve the open objections to an entitlement (bureau), as `resolve`
      parameters:
        - name: entitlement
          in: path
          required: true
          description: The entitlement id as `notice` and `entitlements` print it.
          schema: {type: string, pattern: "^[0-9A-Za-z._:-]{1,64}$"}
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [outcome, reason]
              properties:
                outcome: {enum: [upheld, dismissed]}
                reason: {type: string, maxLength: 2000, allOf: [{pattern: "\\S"}, {pattern: "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"}], description: "Why; some text besides spaces, without control characters (tab and newline allowed)."}
      responses:
        "201":
          description: The resolution, recorded.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/NoticeAction"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
  /v1/payouts:
    post:
      operationId: payouts
      tags: [finance]
      summary: Record the bank's payout file (finance); the answer is the reconciliation
      parameters:
        - $ref: "#/components/parameters/Jurisdiction"
        - $ref: "#/components/parameters/Month"
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          text/csv:
            schema: {type: string}
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409": {$ref: "#/components/responses/Conflict"}
        "408": {$ref: "#/components/responses/Timeout"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "422": {$ref: "#/components/responses/BadRows"}
        "503": {$ref: "#/components/responses/UploadsBusy"}
  /v1/reconciliations/{jurisdiction}/{month}:
    get:
      operationId: reconciliation
      tags: [finance]
      summary: A month's reconciliation (finance, auditor), as `reconcile`
      parameters:
        - $ref: "#/components/parameters/JurisdictionPath"
        - $ref: "#/components/parameters/MonthPath"
        - $ref: "#/components/parameters/Format"
      responses:
        "200":
          description: The reconciliation report.
          content:
            application/json:
              schema: {type: object}
            text/csv:
              schema: {type: string}
            text/html:
              schema: {type: string}
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
              schema: {type: string, contentEncoding: binary}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/periods/{jurisdiction}/{month}/close:
    post:
      operationId: close
      tags: [finance]
      summary: Close a month with the reconciliation's digest (finance)
      parameters:
        - $ref: "#/components/parameters/JurisdictionPath"
        - $ref: "#/components/parameters/MonthPath"
        - $ref: "#/components/parameters/IdempotencyKey"
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409": {$ref: "#/components/responses/Conflict"}
  /v1/periods/{jurisdiction}/{month}/reopen:
    post:
      operationId: reopen
      tags: [finance]
      summary: Reopen a closed month (finance)
      parameters:
        - $ref: "#/components/parameters/JurisdictionPath"
        - $ref: "#/components/parameters/MonthPath"
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [reason]
              properties:
                reason: {type: string, maxLength: 2000, allOf: [{pattern: "\\S"}, {pattern: "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"}], description: "Why; some text besides spaces, without control characters (tab and newline allowed)."}
      responses:
        "200":
          description: The reopening, recorded.
          content:
            application/json:
              schema:
                type: object
                required: [reopened, jurisdiction, month]
                properties:
                  reopened: {type: string}
                  jurisdiction: {type: string}
                  month: {type: string}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "422": {$ref: "#/components/responses/Refused"}
        "409": {$ref: "#/components/responses/Conflict"}
  /v1/audits/budget:
    get:
      operationId: budgetAudit
      tags: [audits]
      summary: The budget audit of a year (bureau, auditor), as `audit budget`
      parameters:
        - $ref: "#/components/parameters/Year"
        - $ref: "#/components/parameters/AsOf"
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/audits/employers:
    get:
      operationId: employerAudit
      tags: [audits]
      summary: The employers audit of a year (bureau, auditor), as `audit employers`
      parameters:
        - $ref: "#/components/parameters/Year"
        - $ref: "#/components/parameters/AsOf"
      responses:
        "200": {$ref: "#/components/responses/Report"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/digest:
    get:
      operationId: digest
      tags: [ledger]
      summary: The ledger's COUNT:HASH (any role), as `digest`
      parameters:
        - $ref: "#/components/parameters/AsOf"
      responses:
        "200":
          description: The digest.
          content:
            application/json:
              schema:
                type: object
                required: [count, head, digest]
                properties:
                  count: {type: integer, minimum: 0}
                  head: {type: string, pattern: "^[0-9a-f]{64}$"}
                  digest: {type: string, pattern: "^[0-9]+:[0-9a-f]{64}$"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/verify:
    get:
      operationId: verify
      tags: [ledger]
      summary: Recompute the hash chain (any role), as `verify`
      responses:
        "200":
          description: The chain verified.
          content:
            application/json:
              schema:
                type: object
                required: [ok, events, digest]
                properties:
                  ok: {type: boolean}
                  events: {type: integer, minimum: 0}
                  digest: {type: string}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "500": {$ref: "#/components/responses/Integrity"}
        "503": {$ref: "#/components/responses/Busy"}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: A token from `skills-ledger token create` (slt_…); its role and scope decide what it may do.
  parameters:
    Jurisdiction:
      name: jurisdiction
      in: query
      required: true
      description: A GB/T 2260 jurisdiction code (6 or 9 digits, a province's two first) inside the token's scope (else 403).
      schema: {type: string, pattern: "^(000000|national|全国|(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])[0-9]{4}([0-9]{3})?)$"}
    Month:
      name: month
      in: query
      required: true
      schema: {type: string, pattern: "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"}
    JurisdictionPath:
      name: jurisdiction
      in: path
      required: true
      description: A GB/T 2260 jurisdiction code (6 or 9 digits, a province's two first) inside the token's scope (else 403).
      schema: {type: string, pattern: "^(000000|national|全国|(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])[0-9]{4}([0-9]{3})?)$"}
    MonthPath:
      name: month
      in: path
      required: true
      schema: {type: string, pattern: "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"}
    WorkerID:
      name: id
      in: path
      required: true
      description: The worker's 公民身份号码 (18 characters; one whose region, birth date or check character is wrong is 400).
      schema: {type: string, pattern: "^[0-9]{17}[0-9Xx]$"}
    Year:
      name: year
      in: query
      required: true
      schema: {type: integer, minimum: 1900, maximum: 2200}
    AsOf:
      name: as_of
      in: query
      required: false
      description: Answer from the ledger as recorded by the end of this day (UTC recording time), as `--as-of`; a day of 1900–2200.
      schema: {type: string, format: date, pattern: "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}
    Format:
      name: format
      in: query
      required: false
      schema: {enum: [json, csv, html, xlsx], default: json}
    IdempotencyKey:
      name: Idempotency-Key
      in: header
      required: false
      description: 1–255 characters; the same request again gets the first answer, another request under it 409.
      schema: {type: string, minLength: 1, maxLength: 255}
  responses:
    Report:
      description: The CLI's `--format json` report of the same command.
      content:
        application/json:
          schema: {type: object}
    BadRequest:
      description: A bad parameter or body.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Unauthorized:
      description: No valid token.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Forbidden:
      description: Outside the token's role or scope; nothing written.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    NotFound:
      description: Unknown worker, month, notice or entitlement; an audit of a year no adopted pack sets a floor for.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Conflict:
      description: Conflicting event ids (in `details`), or an Idempotency-Key reused for another request.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    TooLarge:
      description: The body is over the service's limit (64 MiB unless `--body-limit` says otherwise).
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    UnsupportedMediaType:
      description: A body of another type than the route takes.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Refused:
      description: Refused by the ledger's state, nothing recorded (a month that is not closed has nothing to reopen).
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    BadRows:
      description: Refused, nothing recorded; every bad row in `details` (or the bad calendar's line and field in `error`).
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Integrity:
      description: The chain does not verify.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Busy:
      description: A verify is already running.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Timeout:
      description: The body was still arriving after `--request-timeout` seconds (120 unless told otherwise); nothing recorded.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    UploadsBusy:
      description: "`--max-uploads` uploads (8 unless told otherwise) were being received for 10 s: send it again after `Retry-After` seconds."
      headers:
        Retry-After:
          schema: {type: integer}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
  schemas:
    Error:
      type: object
      required: [error, details]
      properties:
        error: {type: string}
        details:
          type: array
          items:
            type: object
            properties:
              line: {type: integer}
              field: {type: [string, "null"]}
              id: {type: string}
              message: {type: string}
    BatchReceipt:
      type: object
      required: [file, recorded, already_recorded, digest]
      properties:
        file: {type: string}
        recorded: {type: integer, minimum: 0}
        already_recorded: {type: integer, minimum: 0}
        digest: {type: string, pattern: "^[0-9]+:[0-9a-f]{64}$"}
    Entitlements:
      type: object
      required: [jurisdiction, month, entitlements, total]
      properties:
        jurisdiction: {type: string}
        month: {type: string}
        total: {$ref: "#/components/schemas/Yuan"}
        entitlements:
          type: array
          items:
            type: object
            properties:
              id: {type: string}
              rule: {type: string}
              policy: {type: string}
              version: {type: string}
              clause: {type: string}
              period: {type: string}
              payee: {type: string}
              worker: {type: string}
              amount: {oneOf: [{$ref: "#/components/schemas/Yuan"}, {type: "null"}]}
              designation: {type: [string, "null"]}
              evidence: {type: array, items: {type: string}}
              parameters: {type: object, additionalProperties: {type: string}}
              explanation: {type: string}
    Notice:
      type: object
      required: [jurisdiction, month, from, until, days, entries, total]
      properties:
        jurisdiction: {type: string}
        month: {type: string}
        from: {type: string, format: date}
        until: {type: string, format: date}
        days: {type: integer}
        total: {$ref: "#/components/schemas/Yuan"}
        notice: {type: string}
        digest: {type: string}
        entries:
          type: array
          items:
            type: object
            required: [entitlement, name, worker, payee, item, amount]
            properties:
              entitlement: {type: string}
              name: {type: string, description: Masked (张*).}
              worker: {type: string, description: 公民身份号码 masked to its first 6 and last 4 digits.}
              payee: {type: string}
              item: {type: string}
              amount: {oneOf: [{$ref: "#/components/schemas/Yuan"}, {type: "null"}]}
    NoticeAction:
      type: object
      required: [event, entitlement, outcome]
      properties:
        event: {type: string}
        entitlement: {type: string}
        outcome: {enum: [open, upheld, dismissed]}
    Yuan:
      type: string
      pattern: "^-?[0-9]+\\.[0-9]{2}$"
"""#
}
