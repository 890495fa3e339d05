package dev.captioner.pipeline.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A block's parameters under stable, PyTorch-style dotted names: {@code embedding}, {@code init_h.weight},
 * {@code cell.layer0.weight_ih}, {@code attention.enc_att.weight}, {@code fc.bias}. DJL's own keys carry
 * each child's position ({@code 06fc_weight}), so adding a child block would rename every later tensor;
 * these names depend only on the children's names. Order: as {@link Block#getParameters()}.
 */
final class ParameterNames {
    private ParameterNames() {}

    static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        collect(block, "", named);
        return named;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String position = String.format("%02d", ++index); // AbstractBlock.addChildBlock's prefix
            String name = child.getKey().startsWith(position) ? child.getKey().substring(position.length()) : child.getKey();
            collect(child.getValue(), prefix + name + ".", out);
        }
    }
}
