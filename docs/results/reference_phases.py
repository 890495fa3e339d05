# The phases of the PyTorch reference's training step (WORKLOADS.md section 5), timed one by one.
# Usage: /usr/bin/python3 docs/results/reference_phases.py plain|gru|lstm  (from the repository root, ../shared beside it)
import sys, time, torch
sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__file__), '..', '..', '..', 'shared', 'bench', 'reference'))
import decoders_torch as dec
torch.set_num_threads(2); torch.manual_seed(0)
B,T,L,D,E,H,A,V=32,20,196,512,512,512,512,10000
LEN=[11,10,9,11,20,12,11,20,12,12,20,19,11,16,18,8,13,9,20,15,20,10,17,17,17,17,10,10,11,12,9,15]
gen=torch.Generator().manual_seed(0)
kind=sys.argv[1]
if kind!='plain':
    model=dec.AttentionDecoder(kind,V,E,D,H,A,0.5); feats=torch.rand(B,L,D,generator=gen)
else:
    model=dec.PlainLSTMDecoder(V,E,D,H,0.5); feats=torch.rand(B,D,generator=gen)
lengths=torch.tensor(LEN); inputs,targets=dec.make_captions(lengths,T,V,generator=gen)
params=list(model.parameters()); opt=torch.optim.Adam(params,lr=4e-4)
f=[];b=[];o=[];l=[]
for i in range(18):
    t0=time.perf_counter(); opt.zero_grad(set_to_none=True)
    if kind!='plain':
        logits,alphas=model(feats,inputs); t1=time.perf_counter(); loss=dec.caption_loss(logits,targets,lengths,alphas,1.0)
    else:
        logits=model(feats,inputs); t1=time.perf_counter(); loss=dec.caption_loss(logits,targets,lengths)
    t1b=time.perf_counter()
    loss.backward(); t2=time.perf_counter()
    torch.nn.utils.clip_grad_norm_(params,5.0); t3=time.perf_counter(); opt.step(); loss.item(); t4=time.perf_counter()
    if i>=3: f.append(t1-t0); l.append(t1b-t1); b.append(t2-t1b); o.append((t3-t2, t4-t3))
import statistics as s
print(kind, 'fwd %.1f loss %.1f bwd %.1f clip %.1f adam %.1f total %.1f'%(s.median(f)*1e3,s.median(l)*1e3,s.median(b)*1e3,s.median([x[0] for x in o])*1e3,s.median([x[1] for x in o])*1e3,(s.median(f)+s.median(l)+s.median(b)+s.median([x[0]+x[1] for x in o]))*1e3))
