package org.meshemu.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.workloads.Workload.InputFiles;

/** A workload's input files travel to a node named so that it points each scenario field at its copy. */
class InputFilesTravelTest {
    @Test
    void aDirectoryFieldPointsAtTheCopiedDirectoryAndAFileFieldAtTheCopiedFile() {
        Path here = Path.of("/data/run");
        List<FileTransfer.Source> offered = NodeHost.offered(List.of(
                InputFiles.file("workload.graph.file", here.resolve("graphs/edges.txt")),
                InputFiles.inDirectory("workload.inputs", here.resolve("inputs"), List.of("features.npy", "w0.npy"))));
        assertEquals(List.of("workload.graph.file#edges.txt", "workload.inputs/features.npy", "workload.inputs/w0.npy"),
                offered.stream().map(FileTransfer.Source::name).toList());
        assertEquals(here.resolve("graphs/edges.txt"), offered.get(0).path());

        List<FileTransfer.FileInfo> files = new java.util.ArrayList<>(offered.stream().map(s -> new FileTransfer.FileInfo(s.name(), 1, 0)).toList());
        files.add(new FileTransfer.FileInfo(NodeHost.RESUME_FILE, 1, 0)); // not a field's: no override
        Path copies = Path.of("/tmp/node/files");
        assertEquals(List.of("workload.graph.file=\"/tmp/node/files/workload.graph.file#edges.txt\"", "workload.inputs=\"/tmp/node/files/workload.inputs\""),
                NodeHost.pointedAt(new FileTransfer.Offer(files, null, 1), copies));
    }
}
