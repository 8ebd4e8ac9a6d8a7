#!/usr/bin/env python3
# Controller CPU by layer: each JFR execution sample goes to the first layer one of its frames names.
# Usage: jfr print --stack-depth 200 --events jdk.ExecutionSample fleet.jfr > s.txt; python3 benchmarks/jfr-layers.py s.txt
import sys, collections
path=sys.argv[1]
cats=[('controller','io.stratos.lxc.controller'),('autoscaler','io.stratos.lxc.autoscaler'),('jackson-read','ProviderBase.readFrom'),('jackson-write','ProviderBase.writeTo'),
('cxf-reader-lookup','createMessageBodyReader'),('cxf-writer-lookup','createMessageBodyWriter'),('cxf','org.apache.cxf'),('agent-servlet (Jackson inside)','AgentApiServlet'),('jetty-in-request','RequestCharsetCheck'),('jetty','org.eclipse.jetty'),('h2','org.h2'),('hollow/pax/other','')]
c=collections.Counter(); n=0; stack=None
for line in open(path):
    s=line.strip()
    if s.startswith('stackTrace = ['): stack=[]
    elif stack is not None and s==']':
        if stack:
            n+=1
            for name,f in cats:
                if any(f in x for x in stack): c[name]+=1; break
        stack=None
    elif stack is not None and s and not s.startswith('...') and '(' in s:
        stack.append(s.split('(')[0])
print('samples',n)
for name,_ in cats: print(f'{c[name]:6d} {100*c[name]/n:5.1f}% {name}')
