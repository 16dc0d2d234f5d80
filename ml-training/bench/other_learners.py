# The same time-ordered split and leakage-free features as the trainer's TravisTorrent preset (one row
# per build, history only from outcomes known before a build started), with learners other than
# the DL4J network: an upper-bound check on what these features can reach. Needs Debian's
# python3-sklearn and python3-pandas (apt-get install python3-sklearn python3-pandas); run with
# /usr/bin/python3 ml-training/bench/other_learners.py [csv]. Trains on the first 85 % of builds
# (the trainer's train + validation), tests on the last 15 %.
import pandas as pd, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
import sys
df = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else '/work/shared/datasets/travistorrent-3-projects.csv')
df = df.drop_duplicates('tr_build_id', keep='first').copy()
df['start'] = pd.to_datetime(df['gh_build_started_at'])
df = df.sort_values('start').reset_index(drop=True)
df['y'] = df['tr_status'].isin(['failed','errored']).astype(int)
df['known'] = df['start'] + pd.to_timedelta(df['tr_duration'].fillna(0), unit='s')
base = ["gh_is_pr","gh_num_commits_in_push","git_diff_src_churn","git_diff_test_churn","gh_diff_files_modified","gh_by_core_team_member"]
more = ["gh_team_size","git_num_all_built_commits","gh_diff_files_added","gh_diff_files_deleted","gh_diff_tests_added","gh_diff_tests_deleted","gh_diff_src_files","gh_diff_doc_files","gh_diff_other_files","gh_num_commits_on_files_touched","gh_sloc","gh_test_lines_per_kloc","gh_test_cases_per_kloc","gh_asserts_cases_per_kloc","gh_description_complexity"]
for c in ['gh_is_pr','gh_by_core_team_member']:
    df[c] = df[c].astype(str).str.lower().map({'true':1,'false':0}).fillna(0)
# history from outcomes known before start
def hist(groupcols, name):
    prev=[];r5=[];r20=[];since=[];streak=[]
    hist={}
    for i,row in df.iterrows():
        key=tuple(row[c] for c in groupcols)
        h=hist.setdefault(key,[])
        known=[(k,y,s) for (k,y,s) in h if k<=row['start']]
        if known:
            known.sort(key=lambda t:t[2])
            ys=[y for _,y,_ in known]
            prev.append(ys[-1]); r5.append(np.mean(ys[-5:])); r20.append(np.mean(ys[-20:]))
            since.append((row['start']-known[-1][2]).total_seconds()/3600)
            s=0
            for y in reversed(ys):
                if y==ys[-1]: s+=1
                else: break
            streak.append(s if ys[-1]==1 else -s)
        else:
            prev.append(np.nan);r5.append(np.nan);r20.append(np.nan);since.append(np.nan);streak.append(0)
        h.append((row['known'],row['y'],row['start']))
    df[name+'_prev']=prev;df[name+'_r5']=r5;df[name+'_r20']=r20;df[name+'_since']=since;df[name+'_streak']=streak
hist(['gh_project_name','git_branch'],'br'); hist(['gh_project_name'],'pj')
hcols=[c for c in df.columns if c.startswith('br_') or c.startswith('pj_')]
n=len(df); tr=int(n*0.70); va=int(n*0.85)
for name,cols in [('preset',base+hcols),('all pre-build',base+more+hcols),('history only',hcols)]:
    X=df[cols].astype(float); y=df['y']
    Xtr,ytr=X[:va],y[:va]; Xte,yte=X[va:],y[va:]
    res=[]
    for m in [HistGradientBoostingClassifier(max_iter=200,learning_rate=0.05,random_state=0),
              RandomForestClassifier(n_estimators=400,min_samples_leaf=5,random_state=0,n_jobs=2)]:
        Xf=Xtr.fillna(-1); m.fit(Xf,ytr); p=m.predict_proba(Xte.fillna(-1))[:,1]; res.append(round(roc_auc_score(yte,p),3))
    sc=StandardScaler().fit(Xtr.fillna(Xtr.mean())); lr=LogisticRegression(max_iter=2000,class_weight='balanced').fit(sc.transform(Xtr.fillna(Xtr.mean())),ytr)
    res.append(round(roc_auc_score(yte,lr.predict_proba(sc.transform(Xte.fillna(Xtr.mean())))[:,1]),3))
    print(name, 'test builds', len(yte), 'failures', int(yte.sum()), 'AUC gbm/rf/logreg', res)
