# jdarknet: `make` builds ./jdarknet and fetches the data it needs; `make test` runs the tests.
MVN ?= mvn -B -q
JAR := target/jdarknet.jar
CDS := target/jdarknet.jsa
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)
SAMPLE_DATA := data/imagenet.shortnames.list data/imagenet.labels.list data/dog.jpg data/eagle.jpg data/giraffe.jpg data/horses.jpg

.PHONY: all data demo test bench jmh fashion-mnist train-bench precision-accuracy clean

all: jdarknet data $(CDS)

$(JAR): $(SOURCES)
	$(MVN) package -DskipTests

jdarknet: $(JAR) scripts/jdarknet.sh
	cp scripts/jdarknet.sh jdarknet
	chmod +x jdarknet

# The launcher maps it when present: a one-image classify starts sooner (scripts/cds-archive.sh, docs/benchmarks.md).
$(CDS): jdarknet data/dog.jpg
	scripts/cds-archive.sh

data: $(SAMPLE_DATA)

$(SAMPLE_DATA):
	scripts/get-data.sh

# With Fashion-MNIST installed: trains cfg/fashion-mnist.cfg for about a minute, then classifies
# test images and measures its accuracy (DEMO_BATCHES=N trains longer or shorter). Without it:
# classifies the sample images with the tiny network, pretrained weights when they can be
# downloaded, else seeded random weights (and it says so).
demo: all
	scripts/demo.sh

# Ends with scripts/test-summary.sh's count (and the skip reasons), also when tests fail; the
# exit status is Maven's.
test: all
	rm -rf target/surefire-reports
	$(MVN) test; status=$$?; scripts/test-summary.sh target/surefire-reports || true; exit $$status

# Times the zoo (or CFGS="cfg/tiny.cfg ...") in jdarknet, OpenCV DNN and the C darknet side by side,
# then the whole classify process; RUNS, WARMUP, THREADS, BACKEND as scripts/bench-peers.sh says.
bench: all
	scripts/bench-peers.sh $(CFGS)

# Kernel micro-benchmarks with JMH, reference and cpu backends side by side (KernelBenchmarks);
# JMH="-f 1 -wi 1 -i 3 convolution" passes JMH's own options and a filter.
jmh: all
	$(MVN) test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) org.openjdk.jmh.Main $(JMH)

# Issue 4's acceptance run: cfg/fashion-mnist.cfg trained from scratch on Fashion-MNIST, then
# its test accuracy (docs/training.md, which also gives its run time).
fashion-mnist: all
	scripts/train-fashion-mnist.sh

# Training throughput of jdarknet and the C darknet on the same cfg and data, side by side.
train-bench: all
	scripts/train-peers.sh

# What bf16 and int8 cost in accuracy: Fashion-MNIST top-1 in fp32/bf16/int8 with weights trained by
# jdarknet and by the C darknet, then the zoo's agreement with fp32 on the sample images
# (scripts/precision-accuracy.sh says how to shorten or lengthen it; docs/precision.md).
precision-accuracy: all
	scripts/precision-accuracy.sh

clean:
	rm -rf target jdarknet
