package org.livingwell.routes.council;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The council API's JSON: a page of cases ({@code {cases:[...], page, totalPages}}), each case read on its own so that
 * one the gateway cannot read spoils only itself. The contract is in README ("Council feed").
 */
final class CaseJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One page as the council sent it: its cases still as JSON. */
    record Page(List<JsonNode> cases, int page, int totalPages) {}

    private CaseJson() {}

    /**
     * @throws CouncilApiException if the body is not JSON or not a page of cases (the whole answer is unusable)
     */
    static Page page(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CouncilApiException("the council's answer is not JSON: " + e.getOriginalMessage(), null, e);
        }
        if (root == null || !root.isObject() || !root.path("cases").isArray() || !root.path("totalPages").canConvertToInt()) {
            throw new CouncilApiException("the council's answer is not a page of cases ({cases:[...], page, totalPages})", null, null);
        }
        List<JsonNode> cases = new ArrayList<>();
        root.path("cases").forEach(cases::add);
        return new Page(cases, root.path("page").asInt(0), root.path("totalPages").asInt());
    }

    /** @throws JsonProcessingException if the case's JSON does not have the contract's shape (a list where text belongs, say) */
    static CaseInput input(JsonNode json) throws JsonProcessingException {
        if (!json.isObject()) {
            throw new IllegalArgumentException("is not a JSON object");
        }
        return MAPPER.treeToValue(json, CaseInput.class);
    }
}
